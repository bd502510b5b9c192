/* openapi.c — GET /api/openapi.json: the OpenAPI 3.1 description of this
 * API, docs/openapi.json compiled into the binary (scripts/embed-file.sh).
 * That file is generated from the route table and the handlers' field specs
 * by scripts/openapi.mjs; tests/e2e/openapi.test.mjs keeps it in step. */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"

extern const char api_openapi_json[];
extern const size_t api_openapi_json_len;

void api_openapi(struct req *rq)
{
    char *copy = malloc(api_openapi_json_len); /* reply_bytes takes ownership */
    if (!copy) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    memcpy(copy, api_openapi_json, api_openapi_json_len);
    reply_header(rq, "Cache-Control", "no-cache");
    reply_bytes(rq, 200, "application/json", copy, api_openapi_json_len);
}
