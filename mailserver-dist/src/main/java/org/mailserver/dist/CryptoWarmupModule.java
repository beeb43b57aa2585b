package org.mailserver.dist;

import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mailserver.core.auth.scheme.HashCosts;
import org.mailserver.core.auth.scheme.PasswordSchemes;
import org.mailserver.core.config.Settings;
import org.mailserver.core.server.BackgroundThread;
import org.mailserver.core.server.DaemonModule;
import org.mailserver.core.server.Services;
import org.mailserver.core.tls.TlsLibrary;
import org.mailserver.imap.session.ClientActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after the daemon starts, runs the two pieces of crypto every client pays for on dummy data in
 * one background thread, so that the JIT compiles them (with their AES-NI/CLMUL and SHA
 * intrinsics) before the first sessions instead of during them: the TLS record cipher (AES-GCM, both
 * directions, 16 KiB records as TLS sends them, 6 MiB; only when the JDK serves TLS, not OpenSSL:
 * {@code tls_provider}) and the SHA512-CRYPT password hash (the default scheme of Dovecot passwd-files)
 * through {@link PasswordSchemes}, the same code a login runs.
 *
 * <p>Why: in a JVM that has just started, these run in the interpreter. Profiling the first IMAP open
 * of a 10,000-message folder after a restart (docs/benchmarks.md) found about a quarter of its samples
 * in the interpreted GHASH of AES-GCM encrypting the responses, and the first login spends hundreds of
 * milliseconds in an interpreted SHA-512. The warm-up costs a few hundred milliseconds of CPU once per
 * start, is bounded to {@link #BUDGET_NANOS} of wall time, touches no files, sockets or state, and any
 * failure only logs at debug. {@code -Dmailserver.warmup=false} (in {@code MAILSERVER_OPTS}) turns it
 * off (docs/install.md). Registered through {@code META-INF/services}; started after every other module.
 */
public final class CryptoWarmupModule implements DaemonModule {
    static final String PROPERTY = "mailserver.warmup";
    private static final Logger LOG = LoggerFactory.getLogger(CryptoWarmupModule.class);
    private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Turns off only the mailbox part ({@link MailboxWarmup}); {@link #PROPERTY} turns off both. */
    static final String MAILBOX_PROPERTY = "mailserver.warmup.mailbox";
    /** Wall time the mailbox part may take: measured 0.5-2.5 s on the 2-core development VM. */
    private static final long MAILBOX_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(8);
    /** TLS's largest record: what an IMAP FETCH of many messages or a big DATA is cut into. */
    private static final int RECORD = 16384;
    /**
     * 6 MiB sealed, the first 2 MiB of it opened again: measured in a fresh JVM, after 2 MiB the next
     * megabytes still cost twice their steady-state time, after 6-8 MiB they do not.
     */
    private static final int RECORDS = 384;
    private static final int OPENED = 128;
    /** Logins: each SHA512-CRYPT verification runs 5000 rounds of SHA-512. */
    private static final int LOGINS = 4;
    private final BackgroundThread thread = new BackgroundThread();

    @Override
    public int order() {
        return 2000;
    }

    @Override
    public void start(Settings settings, Services services) {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            return;
        }
        // OpenSSL encrypts the records natively: warming the JDK's AES-GCM would only take CPU from the first
        // clients (outbound SMTP's client TLS, still the JDK's, is no one's wait). Decided from the setting, as
        // the listeners' TLS is built after the modules start: a certificate OpenSSL refuses under auto is then
        // served by an unwarmed JDK, which costs only its first connections some time.
        boolean jdkTls = TlsLibrary.from(settings).serverProvider() == SslProvider.JDK;
        Path dataDirectory = settings.getPath("data_directory"); // created by the daemon before any module starts
        thread.start("crypto-warmup", () -> run(jdkTls, dataDirectory, ClientActivity::anyMailboxOpened));
    }

    @Override
    public void stop() {
        thread.stop(2000); // the mailbox part stops within a message and then deletes its temporary Maildir
    }

    /** The warm-up itself, the TLS record cipher included; returns how many steps ran (for the test). */
    static int run(Path dataDirectory, BooleanSupplier clientArrived) {
        return run(true, dataDirectory, clientArrived);
    }

    /** The warm-up; the JDK's AES-GCM only when the JDK serves TLS ({@code jdkTls}). */
    static int run(boolean jdkTls, Path dataDirectory, BooleanSupplier clientArrived) {
        long start = System.nanoTime();
        long deadline = start + BUDGET_NANOS;
        int steps = 0;
        try {
            if (jdkTls) {
                steps += aesGcm(deadline);
            }
            steps += sha512Crypt(deadline);
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.debug("crypto warm-up stopped: {}", e.toString());
        }
        long crypto = System.nanoTime();
        int rendered = 0;
        if (!"false".equalsIgnoreCase(System.getProperty(MAILBOX_PROPERTY, "true"))) {
            try {
                rendered = MailboxWarmup.run(dataDirectory, crypto + MAILBOX_BUDGET_NANOS, clientArrived);
                steps += rendered;
            } catch (Exception e) {
                LOG.debug("mailbox warm-up stopped: {}", e.toString());
            }
        }
        LOG.info("warm-up after start: crypto {} ms, mailbox {} messages in {} ms (-D{}=false turns it off)",
            TimeUnit.NANOSECONDS.toMillis(crypto - start), rendered,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crypto), PROPERTY);
        return steps;
    }

    static boolean goOn(long deadline) {
        return System.nanoTime() < deadline && !Thread.currentThread().isInterrupted();
    }

    private static int aesGcm(long deadline) throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[16];
        random.nextBytes(key);
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding");
        Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] plain = new byte[RECORD];
        byte[] sealed = new byte[RECORD + 16];
        byte[] opened = new byte[RECORD];
        byte[] iv = new byte[12];
        int steps = 0;
        for (int i = 0; i < RECORDS && goOn(deadline); i++) {
            // A fresh nonce per record, as TLS uses: GCM refuses to encrypt twice with one key and nonce.
            iv[8] = (byte) (i >>> 24);
            iv[9] = (byte) (i >>> 16);
            iv[10] = (byte) (i >>> 8);
            iv[11] = (byte) i;
            GCMParameterSpec params = new GCMParameterSpec(128, iv);
            encrypt.init(Cipher.ENCRYPT_MODE, spec, params);
            int n = encrypt.doFinal(plain, 0, plain.length, sealed, 0);
            if (i < OPENED) {
                decrypt.init(Cipher.DECRYPT_MODE, spec, params);
                decrypt.doFinal(sealed, 0, n, opened, 0);
            }
            steps++;
        }
        return steps;
    }

    private static int sha512Crypt(long deadline) {
        PasswordSchemes schemes = PasswordSchemes.standard();
        String stored = schemes.generate("SHA512-CRYPT", "warm-up", HashCosts.DEFAULT);
        int steps = 0;
        for (int i = 0; i < LOGINS && goOn(deadline); i++) {
            schemes.verify(i % 2 == 0 ? "warm-up" : "not it", stored, "SHA512-CRYPT");
            steps++;
        }
        return steps;
    }
}
