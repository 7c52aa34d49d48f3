package io.backuphub.demo.cloud66;

import java.util.Map;

/** A {@code POST /stacks/{uid}/backups} the simulator accepted, with its parameters as sent. */
public record Cloud66Request(String stackUid, Map<String, String> params) {
    public Cloud66Request {
        params = Map.copyOf(params);
    }

    public String param(String name) {
        return params.get(name);
    }
}
