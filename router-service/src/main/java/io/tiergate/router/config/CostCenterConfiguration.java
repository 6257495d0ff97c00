package io.tiergate.router.config;

import io.micronaut.context.annotation.ConfigurationInject;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.tiergate.platform.config.PropertyCheck;
import io.tiergate.router.costcenter.CostCenterCheck;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code tiergate.router.cost-centers.*} (docs/security.md, "Cost centers"): what the router does
 * with a request whose cost center is not registered on {@code cost.centers}, once any is.
 *
 * @param unknown {@code charge-default} (default: charged to {@code default-name}) or {@code reject}
 * @param defaultName the cost center unknown ones are charged to
 */
@Context
@ConfigurationProperties(CostCenterConfiguration.PREFIX)
public record CostCenterConfiguration(String unknown, String defaultName) {

    public static final String PREFIX = "tiergate.router.cost-centers";

    public static final CostCenterConfiguration DEFAULTS = new CostCenterConfiguration("charge-default", "default");

    public CostCenterConfiguration {
        PropertyCheck check = PropertyCheck.under(PREFIX);
        unknown = check.oneOf("unknown", check.notBlank("unknown", unknown), "charge-default", "reject");
        String problem = CostCenterCheck.problemWith(check.notBlank("default-name", defaultName));
        if (problem != null) {
            throw new IllegalArgumentException(check.key("default-name") + " " + problem);
        }
    }

    @ConfigurationInject
    static CostCenterConfiguration bind(Optional<String> unknown, Optional<String> defaultName) {
        return new CostCenterConfiguration(
                PropertyCheck.text(unknown).orElse(DEFAULTS.unknown),
                PropertyCheck.text(defaultName).orElse(DEFAULTS.defaultName));
    }

    public CostCenterCheck check() {
        return new CostCenterCheck(
                CostCenterCheck.Unknown.valueOf(unknown.toUpperCase(Locale.ROOT).replace('-', '_')), defaultName);
    }
}
