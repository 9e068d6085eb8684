package io.mt5crmhub.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Every example in docs/events.md is a valid event whose id follows the documented rule. */
class DocumentedExamplesTest {

    @Test
    void everyDocumentedExampleIsAValidEventWithItsDeterministicId() throws Exception {
        String doc = Files.readString(Path.of("docs/events.md"));
        Matcher blocks = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<Mt5Event> examples = new ArrayList<>();
        while (blocks.find()) {
            examples.add(EventJson.read(blocks.group(1)));
        }

        assertThat(examples).extracting(e -> e.type().toString()).contains("deal.added", "deal.updated",
                "deal.deleted", "position.added", "position.updated", "position.deleted", "account.added",
                "account.updated", "account.deleted");
        for (Mt5Event e : examples) {
            long key = switch (e.entity()) {
                case DEAL -> e.deal().ticket();
                case POSITION -> e.position().ticket();
                case ACCOUNT, ORDER -> e.login();
            };
            java.time.Instant version = switch (e.entity()) {
                case POSITION -> e.position().updatedAt();
                case ACCOUNT -> e.account().updatedAt();
                default -> e.occurredAt();
            };
            assertThat(e.eventId()).as(e.type().toString())
                    .isEqualTo(EventIds.of(e.server(), e.type(), key, version));
        }
    }
}
