/** Generated from functions/api/openapi.json by `npm run openapi`; do not edit. */
export interface paths {
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your extraction jobs, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Job"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an extraction job with its ordered fields */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** Format: uuid */
                        templateId?: string;
                        fields?: components["schemas"]["FieldInput"][];
                        autoRun?: boolean;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Job"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a job with its fields */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Job"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a job with its files, runs, results and exports */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description The ETag you read ("3"): the change is made only while the object is still at that version, else 412. Without it, the last write wins.
                     * @example "3"
                     */
                    "If-Match"?: string;
                };
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version the object no longer has (its current one is in the ETag and the body) */
                412: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Rename a job, replace its fields (earlier runs keep theirs), turn auto-run on upload on or off */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description The ETag you read ("3"): the change is made only while the object is still at that version, else 412. Without it, the last write wins.
                     * @example "3"
                     */
                    "If-Match"?: string;
                };
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        fields?: components["schemas"]["FieldInput"][];
                        autoRun?: boolean;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Job"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version the object no longer has (its current one is in the ETag and the body) */
                412: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your templates and the public ones */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Template"][];
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Save a reusable list of fields */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        description?: string | null;
                        fields: components["schemas"]["FieldInput"][];
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Template"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{templateId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a template */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    templateId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Template"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete one of your templates */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description The ETag you read ("3"): the change is made only while the object is still at that version, else 412. Without it, the last write wins.
                     * @example "3"
                     */
                    "If-Match"?: string;
                };
                path: {
                    templateId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version the object no longer has (its current one is in the ETag and the body) */
                412: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change one of your templates */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description The ETag you read ("3"): the change is made only while the object is still at that version, else 412. Without it, the last write wins.
                     * @example "3"
                     */
                    "If-Match"?: string;
                };
                path: {
                    templateId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        description?: string | null;
                        fields?: components["schemas"]["FieldInput"][];
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Template"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version the object no longer has (its current one is in the ETag and the body) */
                412: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/jobs/{jobId}/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the files of a job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["SourceFile"][];
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Upload a file directly (multipart/form-data, field "file"); its type is decided from its bytes; its name is read as UTF-8 and stored NFC-normalised, a NUL in it replaced by U+FFFD */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** Format: binary */
                        file: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SourceFile"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too large */
                413: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported file type */
                415: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}/files/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a browser upload: returns a signed resumable-upload link to the uploads bucket; call finalize when done */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        filename: string;
                        contentType: string;
                        sizeBytes: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            fileId: string;
                            upload: {
                                url: string;
                                /** @enum {string} */
                                method: "POST" | "PUT";
                                headers: {
                                    [key: string]: string;
                                };
                            };
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too large */
                413: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}/files/{fileId}/finalize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check an uploaded file (size limit, type from its bytes) and make it available to runs */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    jobId: string;
                    fileId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SourceFile"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too large */
                413: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported file type */
                415: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a file (runs that read it keep their results) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    jobId: string;
                    fileId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the runs of a job, newest first, optionally by status */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                    status?: "pending" | "in_progress" | "partially_completed" | "completed" | "failed" | "cancelled";
                };
                header?: never;
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Run"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Start a run of the job over its current fields and files; answers 202 at once, poll the run or its operation */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description Only these files of the job; all of its files when absent */
                        fileIds?: string[];
                    };
                };
            };
            responses: {
                /** @description Success */
                202: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            runId: string;
                            /** Format: uuid */
                            operationId: string;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Slow down */
                429: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your runs across all your jobs, newest first, optionally by status */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                    status?: "pending" | "in_progress" | "partially_completed" | "completed" | "failed" | "cancelled";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Run"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a run: status, task counters and where its time went */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a run that has not finished */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Run"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry the failed tasks of a run */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                202: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            run: components["schemas"]["Run"];
                            retried: number;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The extracted rows of a run, a page of documents at a time */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["ResultRow"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tasks of a run, one per file, optionally by status: a failed task says why (errorCode, errorMessage) and names its file */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                    status?: "pending" | "running" | "completed" | "failed" | "cancelled";
                };
                header?: never;
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Task"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How this run differs from another run of the same job: fields added or removed, and per row (matched by source file and row index) each cell added, removed, changed or the same */
        get: {
            parameters: {
                query: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                    /** @description The run to compare with (usually an earlier one) */
                    against: string;
                };
                header?: never;
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RunDiff"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operations/{operationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Progress of a background operation: pct, stage and its step audit trail (a run: where its time went) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    operationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Operation"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The exports of a run, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Export"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Export a finished run as CSV or XLSX to a download link, a Drive folder or an email; answers 202 at once, poll the export */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    runId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ExportRequest"];
                };
            };
            responses: {
                /** @description Success */
                202: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Export"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Error */
                403: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/exports/{exportId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An export: its status, and where the file is (downloadUrl for a completed download) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    exportId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Export"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your settings: upload limit, retention, model, custom system prompt, run and page limits */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Settings"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change some of your settings */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description The ETag you read ("3"): the change is made only while the object is still at that version, else 412. Without it, the last write wins.
                     * @example "3"
                     */
                    "If-Match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        maxUploadBytes?: number;
                        exportRetentionDays?: number;
                        activityRetentionDays?: number;
                        modelName?: string | null;
                        customSystemPrompt?: string | null;
                        /** @description Runs you may start per UTC day; a run past it answers 429 run_limit_reached */
                        maxRunsPerDay?: number;
                        /** @description Pages you may extract per UTC month; no new run starts once they are used (429 page_limit_reached) */
                        maxPagesPerMonth?: number;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Settings"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version the object no longer has (its current one is in the ETag and the body) */
                412: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/integrations/google/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start connecting a Google account: answers the consent URL to send the browser to; Google redirects back to oauth-callback, which sends the browser to the frontend with a code for POST /v1/integrations/google/complete */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description What to connect: drive (read files, write exports), gmail (read attachments, send exports) */
                        scopes: ("drive" | "gmail")[];
                        /** @description A path on the frontend to return to, e.g. /integrations */
                        redirectAfter?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            authorizationUrl: string;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Error */
                403: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations/google/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Finish connecting a Google account: the frontend sends the one-time code oauth-callback put in its URL (`status=consented&code=...`); only the user who started the connection may finish it */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The `code` query parameter oauth-callback redirected to the frontend with */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            account: components["schemas"]["IntegrationAccount"];
                            /** @description The frontend page to show next (redirectAfter, with status=connected&account=<id>) */
                            redirectTo: string;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Error */
                403: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations/google/drive/folders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Drive folders through your connection, to pick what to import: the children of `parent` (default My Drive), or every folder whose name contains `q` */
        get: {
            parameters: {
                query?: {
                    /** @description Needed only when several connected accounts grant Drive */
                    accountId?: string;
                    parent?: string;
                    /** @description Part of a folder name */
                    q?: string;
                    pageToken?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            accountId: string;
                            parent: string;
                            items: components["schemas"]["DriveFolder"][];
                            nextPageToken: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Slow down */
                429: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Google did not answer as expected */
                502: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations/google/gmail/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Gmail messages with attachments through your connection, newest first, each with its attachments' names, types and sizes. Behind the Gmail feature flag */
        get: {
            parameters: {
                query?: {
                    /** @description Needed only when several connected accounts grant Gmail */
                    accountId?: string;
                    /** @description A Gmail search, e.g. `from:billing@example.com newer_than:7d` */
                    q?: string;
                    limit?: number;
                    pageToken?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            accountId: string;
                            items: components["schemas"]["GmailMessageSummary"][];
                            nextPageToken: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Error */
                403: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Slow down */
                429: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Google did not answer as expected */
                502: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your connected accounts and their health: status, granted scopes, last sync, last error */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["IntegrationAccount"][];
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/integrations/{accountId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One connected account and its health */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["IntegrationAccount"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Disconnect an account: revokes the grant at Google, stops the Gmail watch, deletes the tokens */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    accountId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["IntegrationAccount"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your activity log, newest first, optionally filtered by kind */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                    /** @description One kind (run_completed) or a prefix ending in _ (connector_) */
                    kind?: string;
                    /** @description A comma list of kinds or prefixes; events matching any are listed */
                    kinds?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["ActivityEvent"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}/imports/drive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import Drive files and folders (recursively; Google Docs as PDF) into the job; answers 202, poll the import or its operation */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        accountId: string;
                        fileIds?: string[];
                        folderIds?: string[];
                    };
                };
            };
            responses: {
                /** @description Success */
                202: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ImportScheduled"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}/imports/drive/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import what changed in a Drive folder since the last import or sync of this account; answers 202 */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        accountId: string;
                        folderId: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                202: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ImportScheduled"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{jobId}/imports/gmail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import Gmail attachments (ZIP archives unpacked) into the job; answers 202. Behind the Gmail feature flag */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path: {
                    jobId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uuid */
                        accountId: string;
                        attachments: {
                            messageId: string;
                            attachmentId: string;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Success */
                202: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ImportScheduled"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Error */
                403: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/imports/{connectorJobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An import: status, attempts, last error, and per-file outcomes once finished */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    connectorJobId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Import"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/automations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's automations, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Automation"][];
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an automation: Gmail messages matching the query, with a matching attachment, are imported into the job, run, and exported */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** Format: uuid */
                        jobId: string;
                        /** Format: uuid */
                        accountId: string;
                        trigger: components["schemas"]["AutomationTrigger"];
                        export?: components["schemas"]["AutomationExport"];
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Automation"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Error */
                403: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/automations/{automationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One automation */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    automationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Automation"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete an automation and its history (runs and exports it made stay) */
        delete: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description The ETag you read ("3"): the change is made only while the object is still at that version, else 412. Without it, the last write wins.
                     * @example "3"
                     */
                    "If-Match"?: string;
                };
                path: {
                    automationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version the object no longer has (its current one is in the ETag and the body) */
                412: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change an automation: turn it on or off (`isEnabled`), rename it, or change its job, account, trigger or export (`export: null` removes it) */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description The ETag you read ("3"): the change is made only while the object is still at that version, else 412. Without it, the last write wins.
                     * @example "3"
                     */
                    "If-Match"?: string;
                };
                path: {
                    automationId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        isEnabled?: boolean;
                        /** Format: uuid */
                        jobId?: string;
                        /** Format: uuid */
                        accountId?: string;
                        trigger?: components["schemas"]["AutomationTrigger"];
                        export?: components["schemas"]["AutomationExport"] & (Record<string, never> | null);
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Automation"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Error */
                403: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version the object no longer has (its current one is in the ETag and the body) */
                412: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        ETag: components["headers"]["ETag"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/automations/{automationId}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What the automation fired, newest first (up to 100): status, the run it started, the error */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    automationId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["AutomationRun"][];
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your usage per UTC day: runs, documents and pages processed, model tokens, exports by destination, imported bytes, api requests */
        get: {
            parameters: {
                query?: {
                    /** @description First day (UTC), 29 days before `to` when absent */
                    from?: string;
                    /** @description Last day (UTC), today when absent */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Usage"];
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's webhook endpoints (secrets are never shown again) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Webhook"][];
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Register an endpoint for some events; the answer carries its signing secret (`whsec_...`), shown only this once */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes retrying this request safe: repeats with the same key within 24 hours get the first answer again (status, body, ETag; with `Idempotent-Replayed: true`) and do the work once. The same key with a different request (path or JSON body; for an upload, the file's name and the SHA-256 of its bytes, not the multipart framing) answers 422; while the first request with the key is still running, a repeat waits for its answer, then answers 409 with Retry-After. Keys are per user and route; use a new one (a UUID) for each new request. Answers 5xx, 409 and 429 are not kept: retry with the same key.
                     * @example 6b1f0c9e-7d0a-4a53-9f3e-2b1d5c7e8a90
                     */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description https URL whose host resolves only to public addresses */
                        url: string;
                        events: ("run.completed" | "export.completed" | "export.failed" | "automation.failed" | "account.revoked")[];
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"] & {
                            /** @description Verify deliveries with it (Standard Webhooks); never shown again */
                            secret: string;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflicts with the current state */
                409: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Cannot be done as asked */
                422: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an endpoint and its delivery log */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success, no content */
                204: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{webhookId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An endpoint's delivery log, newest first: status, attempts, the receiver's last answer, the next attempt */
        get: {
            parameters: {
                query?: {
                    /** @description Page size (1-100) */
                    limit?: number;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                };
                header?: never;
                path: {
                    webhookId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookDelivery"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Invalid request */
                400: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not signed in */
                401: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found (or not yours) */
                404: {
                    headers: {
                        "X-Request-Id": components["headers"]["RequestId"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Job: {
            /** Format: uuid */
            id: string;
            name: string;
            /** Format: uuid */
            templateId: string | null;
            fields: (components["schemas"]["Field"] & {
                /** Format: uuid */
                id: string;
            })[];
            fileCount: number;
            /** @description Files added by upload or import start a run of just those files after a short debounce */
            autoRun: boolean;
            lastRun: {
                /** Format: uuid */
                id: string;
                runNumber: number;
                status: string;
            } | null;
            /** @description Bumped by every change you make; also the ETag. Send it back in If-Match to change only this version */
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        Field: {
            name: string;
            /** @enum {string} */
            type: "text" | "number" | "date" | "currency" | "boolean" | "list";
            description?: string | null;
            required: boolean;
        };
        Error: {
            error: {
                code: string;
                message: string;
                /** @description The X-Request-Id of the request: quote it to support, it finds the log lines */
                requestId: string;
                /** @description 412: the version the object has now */
                currentVersion?: number;
            };
        };
        FieldInput: {
            name: string;
            /** @enum {string} */
            type: "text" | "number" | "date" | "currency" | "boolean" | "list";
            description?: string | null;
            required?: boolean;
        };
        Template: {
            /** Format: uuid */
            id: string;
            name: string;
            description: string | null;
            fields: components["schemas"]["Field"][];
            isPublic: boolean;
            /** @description Bumped by every change you make; also the ETag. Send it back in If-Match to change only this version */
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        SourceFile: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            jobId: string;
            filename: string;
            contentType: string;
            sizeBytes: number;
            /** @enum {string} */
            sourceType: "upload" | "gdrive" | "gmail";
            externalId: string | null;
            status: string;
            errorMessage: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        Run: {
            /** Format: uuid */
            id: string;
            jobId: string;
            /** @description null until the run initializer has numbered the run */
            runNumber: number | null;
            /** @enum {string} */
            status: "pending" | "in_progress" | "partially_completed" | "completed" | "failed" | "cancelled";
            trigger: string;
            tasksTotal: number;
            tasksCompleted: number;
            tasksFailed: number;
            /** Format: uuid */
            operationId: string | null;
            errorMessage: string | null;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            completedAt: string | null;
            /** Format: date-time */
            createdAt: string;
            timing?: components["schemas"]["RunTiming"];
        };
        /** @description Where the run's time went (GET /v1/runs/{runId} only) */
        RunTiming: {
            /** @description Extraction attempts counted */
            attempts: number;
            /** @description Summed time tasks waited in the queue past their due time */
            queueWaitMs: number;
            /** @description Summed time waiting for the model */
            modelMs: number;
            /** @description Summed time of the rest of each attempt: reading, recording results */
            writeMs: number;
            /** @description The run initializer's own time */
            initializeMs: number | null;
        };
        ResultRow: {
            /** Format: uuid */
            taskId: string;
            sourceFileName: string;
            sourceType: string;
            columns: string[];
            rows: unknown[][];
            /** @description Where each value was read, parallel to rows (null for a null value); null for results extracted before citations were kept */
            citations: components["schemas"]["Citation"][][] | null;
            engine: string | null;
            model: string | null;
        };
        Citation: {
            /** @description The page the value is printed on, from 1; null for a file without pages (CSV, plain text) */
            page: number | null;
            /** @description The words the value was read from, as quoted by the extractor */
            quote: string | null;
            /** @description true when the quote is on that page of the PDF's text layer, or, for a page or image the local extractor read by OCR, of its OCR text (whitespace and case ignored), false when it is not; null when there is no text to check */
            verified: boolean | null;
        } | null;
        Task: {
            /** Format: uuid */
            taskId: string;
            /** @enum {string} */
            status: "pending" | "running" | "completed" | "failed" | "cancelled";
            /**
             * Format: uuid
             * @description The file the task reads (null once the file was deleted)
             */
            sourceFileId: string | null;
            sourceFileName: string;
            sourceType: string;
            attempts: number;
            /** @description failed: a short machine-readable reason, e.g. unreadable_file */
            errorCode: string | null;
            /** @description failed: why the file could not be extracted */
            errorMessage: string | null;
            /** Format: date-time */
            processedAt: string | null;
        };
        RunDiff: {
            /** Format: uuid */
            runId: string;
            /** Format: uuid */
            againstRunId: string;
            fields: {
                /** @description In this run's field snapshot only */
                added: string[];
                /** @description In the other run's field snapshot only */
                removed: string[];
                kept: string[];
            };
            /** @description Counts over every row, not just this page */
            summary: {
                rows: {
                    added: number;
                    removed: number;
                    changed: number;
                    same: number;
                };
                cells: {
                    added: number;
                    removed: number;
                    changed: number;
                    same: number;
                };
            };
            items: {
                sourceFileName: string;
                /** @description The row within its source file, from 0 */
                rowIndex: number;
                /** @enum {string} */
                status: "added" | "removed" | "changed" | "same";
                cells: {
                    field: string;
                    /** @enum {string} */
                    status: "added" | "removed" | "changed" | "same";
                    before?: unknown;
                    after?: unknown;
                }[];
            }[];
            nextCursor: string | null;
        };
        Operation: {
            /** Format: uuid */
            id: string;
            kind: string;
            subjectId: string | null;
            status: string;
            pct: number;
            stage: string | null;
            errorMessage: string | null;
            /** Format: date-time */
            updatedAt: string;
            /** @description The audit trail: one entry per attempt of each step, in the order they started (at most 500) */
            steps: components["schemas"]["OperationStep"][];
            timing: components["schemas"]["RunTiming"] & (Record<string, never> | null);
        };
        OperationStep: {
            name: string;
            /** @enum {string} */
            status: "started" | "completed" | "failed" | "retried";
            /** Format: date-time */
            startedAt: string | null;
            durationMs: number | null;
            retryCount: number;
            errorMessage: string | null;
            data: {
                [key: string]: unknown;
            } | null;
        };
        Export: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            runId: string;
            /** @enum {string} */
            destType: "download" | "gdrive" | "gmail";
            /** @enum {string} */
            fileType: "csv" | "xlsx";
            /** @enum {string} */
            status: "pending" | "in_progress" | "completed" | "failed";
            /** Format: uuid */
            accountId: string | null;
            /**
             * Format: uuid
             * @description Set when an automation asked for the export
             */
            automationId: string | null;
            /**
             * Format: uuid
             * @description The operation that follows the export: GET /v1/operations/{operationId} for its progress and steps
             */
            operationId: string | null;
            options: {
                folderId?: string;
                to?: string;
                subject?: string;
                sources?: boolean;
            };
            fileName: string | null;
            rowsExported: number | null;
            /** @description Drive file id, Gmail message id, or the object name of a download */
            externalId: string | null;
            errorMessage: string | null;
            attempts: number;
            /** @description download, once completed: a signed link valid for 7 days from this answer */
            downloadUrl?: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            completedAt: string | null;
        };
        ExportRequest: {
            /**
             * @description download: a signed link (7 days); gdrive: a file in a Drive folder; gmail: an email with the file attached
             * @enum {string}
             */
            destType: "download" | "gdrive" | "gmail";
            /** @enum {string} */
            fileType: "csv" | "xlsx";
            /** @description gdrive: the folder to put the file in (My Drive when absent) */
            folderId?: string;
            /**
             * Format: uuid
             * @description gdrive / gmail: the connected Google account to use (your only one when absent)
             */
            accountId?: string;
            /**
             * Format: email
             * @description gmail: the recipient (the account's own address when absent)
             */
            to?: string;
            /** @description gmail: the subject ("<job> run #<n> results" when absent) */
            subject?: string;
            /** @description xlsx: add a second sheet, "Sources", with one row per value: its results row, page, quoted text and whether the quote was found on that page */
            sources?: boolean;
        };
        Settings: {
            maxUploadBytes: number;
            exportRetentionDays: number;
            activityRetentionDays: number;
            modelName: string | null;
            customSystemPrompt: string | null;
            /** @description Runs you may start per UTC day; a run past it answers 429 run_limit_reached */
            maxRunsPerDay: number;
            /** @description Pages you may extract per UTC month; no new run starts once they are used (429 page_limit_reached) */
            maxPagesPerMonth: number;
            /** @description Bumped by every change (0: never changed); also the ETag. Send it back in If-Match to change only this version */
            version: number;
        };
        IntegrationAccount: {
            /** Format: uuid */
            id: string;
            provider: string;
            email: string | null;
            /** @description The scopes Google actually granted (users may untick some) */
            scopes: string[];
            /** @description What the granted scopes allow */
            services: ("drive" | "gmail")[];
            /** @enum {string} */
            status: "connected" | "error" | "revoked" | "disconnected";
            /** Format: date-time */
            lastSyncAt: string | null;
            lastError: {
                code: string | null;
                message: string | null;
                /** Format: date-time */
                at: string | null;
            } | null;
            /** Format: date-time */
            gmailWatchExpiresAt: string | null;
            /** @description true when Google revoked the account or it is in error: connect it again */
            needsReconnect: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        DriveFolder: {
            id: string;
            name: string;
            /** Format: date-time */
            modifiedTime: string | null;
        };
        GmailMessageSummary: {
            id: string;
            threadId: string;
            from: string;
            subject: string;
            /** Format: date-time */
            date: string | null;
            snippet: string;
            attachments: {
                attachmentId: string;
                filename: string;
                mimeType: string;
                /** @description bytes */
                size: number;
            }[];
        };
        ActivityEvent: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "connector_connect_started" | "connector_connect_succeeded" | "connector_connect_failed" | "connector_disconnect_started" | "connector_disconnect_succeeded" | "connector_disconnect_failed" | "connector_sync_started" | "connector_sync_completed" | "connector_sync_failed" | "connector_job_scheduled" | "connector_job_retried" | "connector_account_revoked" | "connector_account_error" | "run_started" | "run_completed" | "run_failed" | "export_completed" | "export_failed" | "webhook_disabled";
            /** @description What to show, e.g. "Google Drive sync completed - 37 files imported" */
            description: string;
            /** @description Structured details (seed 001 §3), e.g. provider, connector_account_id, job_id */
            context: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            createdAt: string;
        };
        ImportScheduled: {
            /** Format: uuid */
            connectorJobId: string;
            /** Format: uuid */
            operationId: string;
        };
        Import: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            jobId: string | null;
            /** Format: uuid */
            accountId: string;
            /** @enum {string} */
            jobType: "initial_sync" | "incremental_sync" | "drive_import" | "gmail_import";
            /** @enum {string} */
            status: "pending" | "running" | "success" | "failed" | "cancelled";
            attempts: number;
            maxAttempts: number;
            lastError: string | null;
            /** Format: date-time */
            nextAttemptAt: string | null;
            /** Format: uuid */
            operationId: string | null;
            counts: {
                imported: number;
                skipped: number;
                failed: number;
            } | null;
            files: components["schemas"]["ImportedFile"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            startedAt: string | null;
            /** Format: date-time */
            finishedAt: string | null;
        };
        ImportedFile: {
            externalId: string;
            filename: string;
            /** Format: uuid */
            sourceFileId: string | null;
            /** @enum {string} */
            outcome: "imported" | "skipped" | "failed" | "unpacked";
            error?: string;
        };
        Automation: {
            /** Format: uuid */
            id: string;
            name: string;
            isEnabled: boolean;
            /** Format: uuid */
            jobId: string;
            /** Format: uuid */
            accountId: string | null;
            triggerType: string;
            trigger: {
                query: string;
                mimeTypes: string[];
            };
            export: {
                /** @enum {string} */
                destType: "download" | "gdrive" | "gmail";
                /** @enum {string} */
                fileType: "csv" | "xlsx";
                folderId?: string;
                to?: string;
            } | null;
            /** Format: date-time */
            lastFiredAt: string | null;
            /** @description Bumped by every change you make; also the ETag. Send it back in If-Match to change only this version */
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        AutomationTrigger: {
            /** @description A Gmail search, e.g. `from:vendor@example.com has:attachment` */
            query: string;
            /** @description Attachment types that fire the automation; any attachment when empty */
            mimeTypes?: string[];
        };
        AutomationExport: {
            /** @enum {string} */
            destType: "download" | "gdrive" | "gmail";
            /** @enum {string} */
            fileType: "csv" | "xlsx";
            folderId?: string;
            /** Format: email */
            to?: string;
        };
        AutomationRun: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            status: "pending" | "completed" | "failed";
            /** Format: uuid */
            runId: string | null;
            error: string | null;
            /** Format: date-time */
            triggeredAt: string;
            /** Format: date-time */
            completedAt: string | null;
        };
        Usage: {
            from: string;
            to: string;
            days: components["schemas"]["UsageDay"][];
            totals: {
                runsStarted: number;
                documentsProcessed: number;
                pagesProcessed: number;
                inputTokens: number;
                outputTokens: number;
                exports: {
                    download: number;
                    gdrive: number;
                    gmail: number;
                };
                importedBytes: number;
                apiRequests: number;
            };
        };
        UsageDay: {
            day: string;
            runsStarted: number;
            documentsProcessed: number;
            pagesProcessed: number;
            inputTokens: number;
            outputTokens: number;
            exports: {
                download: number;
                gdrive: number;
                gmail: number;
            };
            importedBytes: number;
            apiRequests: number;
        };
        Webhook: {
            /** Format: uuid */
            id: string;
            url: string;
            events: ("run.completed" | "export.completed" | "export.failed" | "automation.failed" | "account.revoked")[];
            /**
             * @description `disabled` after repeated failed deliveries (see `disabledReason`); create a new one to resume
             * @enum {string}
             */
            status: "enabled" | "disabled";
            disabledReason: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        WebhookDelivery: {
            /** @description The `webhook-id` header, the same on every attempt */
            id: string;
            eventType: string;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed";
            attempts: number;
            lastStatusCode: number | null;
            lastError: string | null;
            /** Format: date-time */
            nextAttemptAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            lastAttemptAt: string | null;
            /** Format: date-time */
            deliveredAt: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description The id of this request: yours when you sent a well-formed X-Request-Id (1-128 of A-Z a-z 0-9 . _ : -), else a new one. Every log line of the request carries it */
        RequestId: string;
        /** @description The version of the object, e.g. "3": send it in If-Match to change or delete only that version */
        ETag: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
