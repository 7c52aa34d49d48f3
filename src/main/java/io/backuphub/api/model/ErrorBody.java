package io.backuphub.api.model;

/** Every error of the API: {@code {"error":{"code":...,"message":...}}}. */
public record ErrorBody(ErrorDetail error) {

    public static ErrorBody of(String code, String message) {
        return new ErrorBody(new ErrorDetail(code, message));
    }
}
