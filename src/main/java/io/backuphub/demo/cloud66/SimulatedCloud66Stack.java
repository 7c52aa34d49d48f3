package io.backuphub.demo.cloud66;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** A stack as {@code GET /stacks} shows it (providers.md 1.7). Mutable and thread-safe. */
public final class SimulatedCloud66Stack {

    /** Older API examples use this form for {@code created_at} / {@code updated_at}. */
    private static final DateTimeFormatter LEGACY_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final String uid;
    private final Instant createdAt;
    private String name;
    private String environment = "production";
    private String framework = "rails";
    private int status = 1;  // Deployed successfully
    private int health = 3;  // Healthy
    private Instant updatedAt;

    SimulatedCloud66Stack(String uid, String name, Instant createdAt) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.name = Objects.requireNonNull(name, "name");
        this.createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
        this.updatedAt = this.createdAt;
    }

    public String uid() {
        return uid;
    }

    public synchronized String name() {
        return name;
    }

    public synchronized String environment() {
        return environment;
    }

    public synchronized SimulatedCloud66Stack setName(String name) {
        this.name = Objects.requireNonNull(name);
        return touch();
    }

    public synchronized SimulatedCloud66Stack setEnvironment(String environment) {
        this.environment = Objects.requireNonNull(environment);
        return touch();
    }

    public synchronized SimulatedCloud66Stack setFramework(String framework) {
        this.framework = framework;
        return touch();
    }

    /** 0..7, see providers.md 1.7. */
    public synchronized SimulatedCloud66Stack setStatus(int status) {
        this.status = status;
        return touch();
    }

    /** 0..4, see providers.md 1.7. */
    public synchronized SimulatedCloud66Stack setHealth(int health) {
        this.health = health;
        return touch();
    }

    private SimulatedCloud66Stack touch() {
        updatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    public synchronized ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        String slug = name.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        n.put("uid", uid);
        n.put("name", name);
        n.put("account_id", 1);
        n.put("account_name", "demo@example.com");
        n.put("git", "git@github.com:example/" + slug + ".git");
        n.put("git_branch", "main");
        n.put("environment", environment);
        n.put("cloud", "aws");
        n.put("fqdn", slug + "-" + environment + ".c66.me");
        n.put("language", "ruby");
        n.put("framework", framework);
        n.put("status", status);
        n.put("health", health);
        n.put("last_activity", LEGACY_DATE.format(updatedAt));
        n.put("last_activity_iso", updatedAt.toString());
        n.put("maintenance_mode", false);
        n.put("has_loadbalancer", false);
        n.put("created_at", LEGACY_DATE.format(createdAt));
        n.put("updated_at", LEGACY_DATE.format(updatedAt));
        n.put("created_at_iso", createdAt.toString());
        n.put("updated_at_iso", updatedAt.toString());
        n.put("deploy_directory", "/var/deploy/" + slug + "/web_head/current");
        n.put("cloud_status", "partial");
        n.putNull("redeploy_hook");
        n.put("backend", "docker");
        n.put("version", "1.0");
        n.put("revision", "a1b2c3d");
        n.put("is_busy", false);
        n.put("is_cluster", false);
        n.put("is_inside_cluster", false);
        n.putNull("cluster_name");
        n.putArray("namespaces");
        return n;
    }
}
