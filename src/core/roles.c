/* roles.c — the permission table (see roles.h). Operators manage members
 * because the university regulation has IT staff build the groups of eligible
 * voters from the chair's list; the chair may add external members
 * (reviewers, promoters) on the chair's own authority. */
#include "core/roles.h"

#include <string.h>

/* Bit per kind of person who may act. */
enum {
    ADMIN = 1,    /* instance admin */
    ORG_ADM = 2,  /* organisation admin */
    OPER = 4,     /* organisation operator */
    CHAIR = 8,    /* chair of the body */
    VICE = 16,    /* vice-chair of the body */
    SECR = 32,    /* secretary of the body */
    MEMBER = 64,  /* ordinary member of the body */
};
#define BODY_ANY (CHAIR | VICE | SECR | MEMBER)
#define STAFF (ORG_ADM | OPER)

static const unsigned allowed[ACT__COUNT] = {
    [ACT_ORG_CREATE] = ADMIN,
    [ACT_ORG_READ] = ADMIN | STAFF,
    [ACT_ORG_UPDATE] = ADMIN | ORG_ADM,
    [ACT_STAFF_READ] = ADMIN | STAFF,
    [ACT_STAFF_MANAGE] = ADMIN | ORG_ADM,
    [ACT_BODY_CREATE] = ADMIN | ORG_ADM,
    [ACT_BODY_READ] = ADMIN | STAFF | BODY_ANY,
    [ACT_BODY_UPDATE] = ADMIN | ORG_ADM,
    [ACT_MEMBER_READ] = ADMIN | STAFF | BODY_ANY,
    [ACT_MEMBER_READ_CONTACT] = ADMIN | STAFF | CHAIR | VICE | SECR,
    [ACT_MEMBER_MANAGE] = ADMIN | STAFF,
    [ACT_MEMBER_ADD_EXTERNAL] = ADMIN | STAFF | CHAIR,
    [ACT_MEETING_READ] = ADMIN | STAFF | BODY_ANY,
    [ACT_MEETING_PREPARE] = ADMIN | STAFF,
    /* eSesja: the chair conducts, the office's operator drives the console. */
    [ACT_MEETING_CONDUCT] = ADMIN | STAFF | CHAIR | VICE,
};

bool roles_allow(enum role_action action, const struct role_facts *f)
{
    if ((unsigned)action >= ACT__COUNT)
        return false;
    unsigned who = 0;
    if (f->is_instance_admin)
        who |= ADMIN;
    if (f->staff == STAFF_LEVEL_ADMIN)
        who |= ORG_ADM;
    if (f->staff == STAFF_LEVEL_OPERATOR)
        who |= OPER;
    switch (f->body_role) {
    case BODY_ROLE_CHAIR: who |= CHAIR; break;
    case BODY_ROLE_VICE_CHAIR: who |= VICE; break;
    case BODY_ROLE_SECRETARY: who |= SECR; break;
    case BODY_ROLE_MEMBER: who |= MEMBER; break;
    case BODY_ROLE_NONE: break;
    }
    return (allowed[action] & who) != 0;
}

enum body_role roles_body_role(const char *name)
{
    if (!name)
        return BODY_ROLE_NONE;
    if (!strcmp(name, "chair"))
        return BODY_ROLE_CHAIR;
    if (!strcmp(name, "vice_chair"))
        return BODY_ROLE_VICE_CHAIR;
    if (!strcmp(name, "secretary"))
        return BODY_ROLE_SECRETARY;
    if (!strcmp(name, "member"))
        return BODY_ROLE_MEMBER;
    return BODY_ROLE_NONE;
}

bool roles_is_member_role(const char *name)
{
    return roles_body_role(name) != BODY_ROLE_NONE;
}
