package org.mailserver.core.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** TLS test clients that trust exactly one certificate and verify the server's name against it. */
public final class TlsClients {
    private TlsClients() {
    }

    public static X509Certificate readCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    public static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Connects, verifies the certificate for the host name (IP SAN for 127.0.0.1), and completes the handshake. */
    public static SSLSocket handshake(SSLContext context, InetSocketAddress address, String protocol, String sniHost) throws IOException {
        return handshake(context, address, protocol, sniHost, true);
    }

    /** As above; with verifyName false the chain is still checked but not the name (for default-certificate tests). */
    public static SSLSocket handshake(SSLContext context, InetSocketAddress address, String protocol, String sniHost,
                                      boolean verifyName) throws IOException {
        Socket plain = new Socket();
        plain.connect(address, 5000);
        plain.setSoTimeout(5000);
        String host = sniHost != null ? sniHost : address.getAddress().getHostAddress();
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, address.getPort(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        parameters.setEndpointIdentificationAlgorithm(verifyName ? "HTTPS" : null);
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }
}
