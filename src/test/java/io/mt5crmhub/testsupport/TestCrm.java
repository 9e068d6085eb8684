package io.mt5crmhub.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

/** A REST CRM for a test (WireMock on a free port), started before each test and stopped after it. */
public final class TestCrm {

    private TestCrm() {
    }

    /** For a test's {@code @RegisterExtension} field. */
    public static WireMockExtension onAFreePort() {
        return WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();
    }
}
