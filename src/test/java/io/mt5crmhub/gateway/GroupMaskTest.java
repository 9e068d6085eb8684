package io.mt5crmhub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GroupMaskTest {

    @Test
    void includesAndExcludesLikeMt5() {
        GroupMask mask = GroupMask.parse("real*,!real\\test*");

        assertThat(mask.matches("real\\usd")).isTrue();
        assertThat(mask.matches("REAL\\EUR")).isTrue();
        assertThat(mask.matches("real\\test-usd")).isFalse();
        assertThat(mask.matches("demo\\usd")).isFalse();
        assertThat(mask.matches(null)).isFalse();
    }

    @Test
    void onlyExclusionsMeansEverythingElse() {
        GroupMask mask = GroupMask.parse("!demo*");

        assertThat(mask.matches("real\\usd")).isTrue();
        assertThat(mask.matches("demo\\eur")).isFalse();
    }

    @Test
    void regexCharactersInGroupNamesAreLiteral() {
        assertThat(GroupMask.parse("real\\usd.pro").matches("real\\usdXpro")).isFalse();
        assertThat(GroupMask.parse("real\\usd.pro").matches("real\\usd.pro")).isTrue();
    }

    @Test
    void emptyMeansAll() {
        assertThat(GroupMask.parse("").matchesAll()).isTrue();
        assertThat(GroupMask.parse("*").matchesAll()).isTrue();
        assertThat(GroupMask.parse("real*").matchesAll()).isFalse();
    }

    @Test
    void emptyPatternIsAnError() {
        assertThatThrownBy(() -> GroupMask.parse("real*,!")).hasMessageContaining("empty pattern");
    }
}
