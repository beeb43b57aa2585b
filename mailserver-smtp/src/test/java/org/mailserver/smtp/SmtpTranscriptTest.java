package org.mailserver.smtp;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.mailserver.smtp.testing.TranscriptRunner;

/** Replays src/test/resources/transcripts/smtp/*.txt against the SMTP listener. */
@Timeout(60)
class SmtpTranscriptTest {
    @TestFactory
    Stream<DynamicTest> transcripts() throws Exception {
        return TranscriptRunner.tests("transcripts/smtp", SmtpProtocolHandlerFactory::new, server -> { });
    }
}
