package io.mt5crmhub.gateway.simulator.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The simulator server's self-signed TLS certificate. Made once with the JDK's {@code keytool} (no extra
 * dependency) and kept in {@code <data-dir>/sim-<id>-tls.p12}, so a restarted server keeps the fingerprint a hub
 * has pinned. It names {@code localhost} and {@code 127.0.0.1} (and this host's name), so it also works from a
 * trust store with host name checks. Replace the file with your own PKCS12 (same password) to serve another one.
 */
final class ServerCertificate {

    static final String STORE_PASSWORD = "mt5-simulator";
    private static final String ALIAS = "mt5-simulator";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,250}[A-Za-z0-9])?");

    private final KeyStore store;
    private final X509Certificate certificate;

    private ServerCertificate(KeyStore store, X509Certificate certificate) {
        this.store = store;
        this.certificate = certificate;
    }

    /** Loads the key store, creating it first when it does not exist. */
    static ServerCertificate loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            String alias = store.aliases().nextElement();
            return new ServerCertificate(store, (X509Certificate) store.getCertificate(alias));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the TLS key store " + file + " (password '" + STORE_PASSWORD + "'): "
                    + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("cannot make a self-signed certificate: " + keytool + " is missing; put a PKCS12 key"
                    + " store at " + file + " (password '" + STORE_PASSWORD + "') or run with --http");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA",
                "-keysize", "2048", "-sigalg", "SHA256withRSA", "-validity", "3650",
                "-dname", "CN=mt5-crm-hub simulator", "-ext", "SAN=" + subjectAltNames(),
                "-storetype", "PKCS12", "-keystore", partial.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool could not make a certificate: " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a certificate", e);
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String subjectAltNames() {
        List<String> names = new ArrayList<>(List.of("dns:localhost", "ip:127.0.0.1"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (HOST_NAME.matcher(host).matches() && !host.equals("localhost")) {
                names.add("dns:" + host);
            }
        } catch (IOException e) {
            // no host name: localhost and 127.0.0.1 still work
        }
        return String.join(",", names);
    }

    SSLContext sslContext() throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** SHA-256 of the certificate, lower-case hex: the value for {@code tls-pinned-sha256}. */
    String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }

    /** The certificate in PEM, to import into a trust store. */
    String pem() {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the certificate", e);
        }
    }
}
