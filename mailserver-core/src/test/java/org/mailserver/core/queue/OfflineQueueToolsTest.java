package org.mailserver.core.queue;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mailserver.core.queue.admin.QueueRequest;

/** The queue tools on the files, as used while the daemon is down (postsuper-style). */
@Timeout(20)
class OfflineQueueToolsTest {
    @TempDir
    Path dir;

    @Test
    void listHoldReleaseRequeueDeleteAndCat() throws Exception {
        FileMessageQueue q = new FileMessageQueue(dir);
        String a = QueueFileTest.commit(q, QueueFileTest.envelope("s@example.org", "r1@example.net"), "Subject: a\r\n\r\nA\r\n");
        String b = QueueFileTest.commit(q, QueueFileTest.envelope("s@example.org", "r2@example.net"), "Subject: b\r\n\r\nB\r\n");
        q.append(QueueState.ACTIVE, b, QueueFile.DEFERRED, "0\t1\t4.4.1\tconnect to mx: Connection refused");
        q.move(b, QueueState.ACTIVE, QueueState.DEFERRED);
        OfflineQueueAdmin admin = new OfflineQueueAdmin(q);

        String mailq = QueueRequest.run(admin, List.of("list"));
        assertTrue(mailq.contains(a + "*"), mailq);
        assertTrue(mailq.contains("(connect to mx: Connection refused)"), mailq);
        assertTrue(mailq.contains("-- 1 Kbytes in 2 Requests."), mailq);
        String json = QueueRequest.run(admin, List.of("list", "--json"));
        assertEquals(2, json.lines().count());
        assertTrue(json.contains("\"queue_id\": \"" + b + "\"") && json.contains("\"delay_reason\": \"connect to mx: Connection refused\""), json);

        assertTrue(QueueRequest.run(admin, List.of("hold", a)).contains(a + ": held"));
        assertEquals(QueueState.HOLD, q.find(a).orElseThrow());
        QueueRequest.run(admin, List.of("release", a));
        assertEquals(QueueState.DEFERRED, q.find(a).orElseThrow());
        QueueRequest.run(admin, List.of("requeue", "ALL"));
        assertEquals(QueueState.ACTIVE, q.find(b).orElseThrow());

        String cat = QueueRequest.run(admin, List.of("cat", b));
        assertTrue(cat.contains("sender: s@example.org") && cat.contains("Subject: b") && cat.contains("*** MESSAGE FILE END " + b), cat);

        assertThrows(IllegalArgumentException.class, () -> QueueRequest.run(admin, List.of("delete", "../../etc/passwd")));
        assertThrows(IllegalArgumentException.class, () -> QueueRequest.run(admin, List.of("frobnicate")));
        assertTrue(QueueRequest.run(admin, List.of("delete", "ALL", "deferred")).contains("deleted: 0 messages"));
        assertTrue(QueueRequest.run(admin, List.of("delete", a, b)).contains("deleted: 2 messages"));
        assertEquals("Mail queue is empty\n", QueueRequest.run(admin, List.of("list")));
    }
}
