package io.backuphub.demo.vprotect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/** A VM, application, storage... that vProtect backs up; {@code type} is a protected-entity-type name. */
public record ProtectedEntity(String guid, String name, String type) {
    public ProtectedEntity {
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(name, "name");
        VProtectEnums.require(VProtectEnums.ENTITY_TYPE, "protected entity type", type);
    }

    /** NameGuidAndType, as in {@code protectedEntity}. */
    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("guid", guid);
        n.put("name", name);
        n.set("type", VProtectEnums.node(VProtectEnums.ENTITY_TYPE, type));
        return n;
    }
}
