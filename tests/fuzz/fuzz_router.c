/* fuzz_router.c — router path parsing (http/router.c) over the real route
 * patterns (taken from src/api/routes.c at build time): any method and path
 * either match nothing, or match with parameters that are exactly what their
 * kind allows ({id}: an id, {x:int}: digits, {x:token}: no '/'), never a
 * parameter holding a '/' or a NUL, and a refusal's Allow list names only
 * real methods. */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "http/errors.h"
#include "http/req_impl.h"
#include "util/ids.h"

static void no_handler(struct req *rq)
{
}

static const struct {
    const char *method, *pattern;
} patterns[] = {
#include "route_patterns.h"
};
#define N_ROUTES (sizeof patterns / sizeof patterns[0])
static struct route routes[N_ROUTES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    for (size_t i = 0; i < N_ROUTES; i++)
        routes[i] = (struct route){patterns[i].method, patterns[i].pattern, no_handler, 0, 0, NULL};
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t left = size;
    char *method = fz_field(&p, &left, NULL);
    char *path = fz_field(&p, &left, NULL);
    struct server srv = {.routes = routes, .n_routes = N_ROUTES};
    struct req rq = {.srv = &srv, .method = method, .path = path};
    char allow[64];
    int rc = router_match(&rq, allow, sizeof allow);
    if (rc == 0) {
        FZ_CHECK(rq.route && (!strcmp(rq.route->method, method) ||
                              (!strcmp(method, "HEAD") && !strcmp(rq.route->method, "GET"))),
                 "matched another method");
        for (int i = 0; i < rq.n_params; i++) {
            const char *v = rq.params[i].value;
            const char *brace = strchr(rq.params[i].name, '}');
            const char *colon = memchr(rq.params[i].name, ':', rq.params[i].name_len + 1);
            FZ_CHECK(brace && v && *v && !strchr(v, '/'), "parameter %d: '%s'", i, v);
            if (!colon || colon > brace)
                FZ_CHECK(id_is_valid(v), "id parameter '%s'", v);
            else if (!strncmp(colon, ":int}", 5))
                FZ_CHECK(strspn(v, "0123456789") == strlen(v), "int parameter '%s'", v);
        }
    } else {
        FZ_CHECK(rc == ERR_NOT_FOUND || rc == ERR_METHOD_NOT_ALLOWED, "error %d", rc);
        if (rc == ERR_METHOD_NOT_ALLOWED)
            FZ_CHECK(strspn(allow, "ABCDEFGHIJKLMNOPQRSTUVWXYZ, ") == strlen(allow) && *allow,
                     "Allow '%s'", allow);
    }
    for (int i = 0; i < rq.n_params; i++)
        free(rq.params[i].value);
    free(method);
    free(path);
    return 0;
}
