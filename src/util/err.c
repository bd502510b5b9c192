/* err.c — descriptions of the error codes in err.h. */
#include "util/err.h"

const char *obr_strerror(int err)
{
    switch (err) {
    case OBR_OK: return "ok";
    case OBR_ENOMEM: return "out of memory";
    case OBR_EINVAL: return "invalid argument";
    case OBR_ENOTFOUND: return "not found";
    case OBR_EEXISTS: return "already exists";
    case OBR_EBUSY: return "busy, try again";
    case OBR_EDB: return "database error";
    case OBR_EIO: return "input/output error";
    case OBR_ECONFLICT: return "conflicting state";
    case OBR_ECORRUPT: return "stored data is corrupt";
    case OBR_EFULL: return "disk full";
    case OBR_ELIMIT: return "limit reached";
    default: return "unknown error";
    }
}
