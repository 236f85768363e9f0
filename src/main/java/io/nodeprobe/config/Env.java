package io.nodeprobe.config;

import java.util.Map;
import java.util.Optional;

/** Environment variables, behind a seam so resolution rules can be tested without a process. Blank counts as unset. */
public record Env(Map<String, String> vars) {

    public static Env system() {
        return new Env(System.getenv());
    }

    public static Env of(String... keysAndValues) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Env(m);
    }

    public Optional<String> get(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /**
     * A boolean variable: true/false in any case (1/0 and yes/no too); anything else set is a configuration error
     * rather than a silent false, so a typo in AWS_EC2_METADATA_DISABLED is seen.
     */
    public boolean flag(String name, boolean dflt) {
        return get(name).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ConfigException(name + "=" + v + " is not a boolean (use true or false)");
        }).orElse(dflt);
    }
}
