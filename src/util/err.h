/* err.h — the one error enum of obrady's C code.
 * Functions that can fail return 0 or one of these negative codes; the HTTP
 * layer maps them to statuses (http/errors.c), the CLI to messages. */
#ifndef OBR_ERR_H
#define OBR_ERR_H

enum obr_err {
    OBR_OK = 0,
    OBR_ENOMEM = -1,    /* allocation failed */
    OBR_EINVAL = -2,    /* caller passed something invalid */
    OBR_ENOTFOUND = -3, /* no such row, file or object */
    OBR_EEXISTS = -4,   /* uniqueness constraint */
    OBR_EBUSY = -5,     /* retryable: database locked, serialization failure */
    OBR_EDB = -6,       /* database error that retrying will not fix */
    OBR_EIO = -7,       /* file or socket error */
    OBR_ECONFLICT = -8, /* state does not allow the action */
    OBR_ECORRUPT = -9,  /* stored data fails its own checks (hash chain, format) */
    OBR_EFULL = -10,    /* disk full */
    OBR_ELIMIT = -11,   /* a size or count limit was reached */
};

/* A short English description of an obr_err, for logs and the CLI. */
const char *obr_strerror(int err);

#endif
