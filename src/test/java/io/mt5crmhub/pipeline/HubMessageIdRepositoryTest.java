package io.mt5crmhub.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubMessageIdRepositoryTest {

    private HubDatabase db;
    private HubMessageIdRepository repository;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabases.h2InMemory(8);
        repository = new HubMessageIdRepository(db.dataSource(), db.dialect(), "test");
        repository.start();
    }

    @AfterEach
    void close() {
        repository.stop();
        db.close();
    }

    @Test
    void aKeyIsNewOnlyOnce() {
        assertThat(repository.add("sim:deal:1:added")).isTrue();
        assertThat(repository.add("sim:deal:1:added")).isFalse();
        assertThat(repository.contains("sim:deal:1:added")).isTrue();
        assertThat(repository.add("sim:deal:2:added")).isTrue();
    }

    @Test
    void processorNamesAreSeparateNamespaces() throws Exception {
        HubMessageIdRepository other = new HubMessageIdRepository(db.dataSource(), db.dialect(), "other");
        other.start();
        repository.add("k");

        assertThat(other.add("k")).isTrue();
        other.stop();
    }

    @Test
    void concurrentAddsOfTheSameKeysLetExactlyOneWinEach() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            tasks.add(() -> {
                int won = 0;
                for (int i = 0; i < 500; i++) {
                    if (repository.add("sim:deal:" + i + ":added")) {
                        won++;
                    }
                }
                return won;
            });
        }
        int total = 0;
        for (Future<Integer> f : pool.invokeAll(tasks)) {
            total += f.get();
        }
        pool.shutdown();

        assertThat(total).isEqualTo(500);
    }

    @Test
    void aRemovedKeyCanBeAddedAgain() {
        repository.add("k");
        repository.remove("k");

        assertThat(repository.add("k")).isTrue();
    }
}
