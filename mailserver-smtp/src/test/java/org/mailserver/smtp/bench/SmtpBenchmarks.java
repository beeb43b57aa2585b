package org.mailserver.smtp.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs this module's JMH benchmarks ({@link DataDecodeBenchmark}); not part of the test suite (the class name
 * is not a test name, and it skips itself without {@code -Dbench=true}):
 * <pre>
 *   mvn -q -pl mailserver-smtp -am test -Dtest=SmtpBenchmarks -Dbench=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * JMH prints its table on stdout (average time per operation, with its error).
 */
class SmtpBenchmarks {

    @Test
    void run() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("bench"), "benchmarks run only with -Dbench=true");
        new Runner(new OptionsBuilder()
            .include(DataDecodeBenchmark.class.getName())
            .shouldFailOnError(true)
            .build()).run();
    }
}
