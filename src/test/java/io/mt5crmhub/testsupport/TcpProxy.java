package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between the hub and the simulator server that can turn into a black hole: the network to MT5 going
 * away while MT5 itself keeps trading. In a black hole every open connection is dropped and new ones are accepted
 * but never answered, so the hub sees what a dead route looks like (timeouts), not a polite refusal. Frozen, it
 * keeps every connection open and passes no byte either way: a peer that hangs mid-conversation. TLS passes
 * through untouched.
 */
public final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;
    private volatile boolean frozen;
    private final Object thawed = new Object();

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::acceptLoop, "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Drops every open connection; new ones hang unanswered until {@link #restore()}. */
    public void blackHole() {
        blackHole = true;
        closeOpen();
    }

    /** Open connections stay open and pass nothing, new ones are never answered, until {@link #restore()}. */
    public void freeze() {
        frozen = true;
    }

    public void restore() {
        blackHole = false;
        thaw();
        closeOpen(); // the hung ones
    }

    private void thaw() {
        synchronized (thawed) {
            frozen = false;
            thawed.notifyAll();
        }
    }

    private void awaitThawed() throws IOException {
        synchronized (thawed) {
            while (frozen) {
                try {
                    thawed.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while frozen", e);
                }
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                if (!blackHole && !frozen) {
                    connect(client);
                }
            } catch (IOException e) {
                // the proxy is closing
            }
        }
    }

    private void connect(Socket client) {
        try {
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException e) {
            close(client); // the simulator is restarting: the client sees its connection fail, as without a proxy
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitThawed();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close both below
            } finally {
                close(from);
                close(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeOpen() {
        for (Socket s : open) {
            close(s);
        }
        open.clear();
    }

    private void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
        open.remove(s);
    }

    @Override
    public void close() throws IOException {
        server.close();
        thaw();
        closeOpen();
    }
}
