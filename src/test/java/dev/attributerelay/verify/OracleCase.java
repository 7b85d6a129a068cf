package dev.attributerelay.verify;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One generated delivery checked against a provider's own verifier. Where we decide differently on
 * purpose, {@code difference} says which way and why; everywhere else the two must agree.
 */
record OracleCase(String name, boolean ours, boolean oracle, Difference difference) {

    /** A deliberate difference: what we answer, and why the oracle's answer is not ours. */
    record Difference(boolean weAccept, String why) {
    }

    static Difference weRefuse(String why) {
        return new Difference(false, why);
    }

    static Difference weAccept(String why) {
        return new Difference(true, why);
    }

    void check() {
        if (difference == null) {
            assertThat(ours).as("%s: ours (left) must agree with the oracle", name).isEqualTo(oracle);
        } else {
            assertThat(ours).as("%s: ours, deliberately (%s)", name, difference.why()).isEqualTo(difference.weAccept());
            assertThat(oracle).as("%s: the oracle, which this difference is about", name).isEqualTo(!difference.weAccept());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
