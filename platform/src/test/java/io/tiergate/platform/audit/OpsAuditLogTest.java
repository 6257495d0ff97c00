package io.tiergate.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpsAuditLogTest {

    @Test
    void csvCellsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        assertThat(OpsAuditLog.csvCell("plain")).isEqualTo("plain");
        assertThat(OpsAuditLog.csvCell("a, b")).isEqualTo("\"a, b\"");
        assertThat(OpsAuditLog.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(OpsAuditLog.csvCell("two\nlines")).isEqualTo("\"two\nlines\"");
    }

    @Test
    void aCellAFormulaCouldStartWithIsDefused() {
        assertThat(OpsAuditLog.csvCell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(OpsAuditLog.csvCell("-5 USD")).isEqualTo("'-5 USD");
    }
}
