package io.mt5crmhub.gateway.webapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import io.mt5crmhub.config.ConfigurationException;

/**
 * The TLS trust of a {@code webapi} connection. Three ways, one at a time, none of them silent:
 * <ul>
 * <li>nothing set: the JDK's default trust (a server certificate from a public CA);</li>
 * <li>{@code tls-trust-store}: a trust store holding the server's certificate or its CA, with host name checks;</li>
 * <li>{@code tls-pinned-sha256}: exactly the certificate with this SHA-256 fingerprint, whoever signed it and
 * whatever host name it carries (MT5 servers often run on self-signed certificates).</li>
 * </ul>
 */
final class WebApiTls {

    private WebApiTls() {
    }

    static SSLContext context(WebApiSettings settings) {
        try {
            if (settings.pinnedSha256().isPresent()) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] { new PinnedTrustManager(settings.pinnedSha256().get()) }, null);
                return context;
            }
            if (settings.trustStore().isPresent()) {
                KeyStore store = load(settings.trustStore().get(), settings.trustStorePassword(),
                        "mt5.server." + settings.serverId() + ".tls-trust-store");
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, factory.getTrustManagers(), null);
                return context;
            }
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path path, String password, String key) {
        String type = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException(key + "='" + path + "' cannot be read as a " + type
                    + " trust store (wrong file or " + key + "-password?): " + e.getMessage());
        }
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding, as {@code keytool -list -v} and browsers show it. */
    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** Trusts exactly one certificate, by fingerprint; the pin replaces both the CA and the host name check. */
    static final class PinnedTrustManager extends X509ExtendedTrustManager {

        private final String pin;

        PinnedTrustManager(String pin) {
            this.pin = pin;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            String actual = fingerprint(chain[0]);
            if (!MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new CertificateException("the server's certificate has SHA-256 fingerprint " + actual
                        + ", not the pinned one");
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
