package io.tiergate.cli;

import io.micronaut.configuration.picocli.PicocliRunner;

/** Entry point of {@code ./tiergate}. */
public final class TiergateCli {

  private TiergateCli() {}

  public static void main(String[] args) {
    System.exit(PicocliRunner.execute(TiergateCommand.class, args));
  }
}
