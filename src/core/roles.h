/* roles.h — who may do what, as one pure table over the facts about a person:
 * instance admin or not, their role in the organisation's staff, their role
 * in the body concerned. api/perm.c loads the facts; this decides. */
#ifndef OBR_ROLES_H
#define OBR_ROLES_H

#include <stdbool.h>

enum role_action {
    ACT_ORG_CREATE,
    ACT_ORG_READ,
    ACT_ORG_UPDATE,
    ACT_STAFF_READ,
    ACT_STAFF_MANAGE,
    ACT_BODY_CREATE,
    ACT_BODY_READ,
    ACT_BODY_UPDATE,
    ACT_MEMBER_READ,
    ACT_MEMBER_READ_CONTACT, /* e-mail addresses of members */
    ACT_MEMBER_MANAGE,       /* add, change, remove, import */
    ACT_MEMBER_ADD_EXTERNAL, /* add an external member (reviewer, promoter) */
    ACT_MEETING_READ,        /* see a meeting of the body (members, staff) */
    ACT_MEETING_PREPARE,     /* create, edit, agenda, documents, guests, convene */
    ACT_MEETING_CONDUCT,     /* start, close, attendance, current item, floor, amendments */
    ACT__COUNT
};

enum staff_level { STAFF_LEVEL_NONE, STAFF_LEVEL_OPERATOR, STAFF_LEVEL_ADMIN };
enum body_role { BODY_ROLE_NONE, BODY_ROLE_MEMBER, BODY_ROLE_SECRETARY, BODY_ROLE_VICE_CHAIR,
                 BODY_ROLE_CHAIR };

struct role_facts {
    bool is_instance_admin;
    enum staff_level staff;
    enum body_role body_role;
};

bool roles_allow(enum role_action action, const struct role_facts *facts);
/* "chair" → BODY_ROLE_CHAIR ...; BODY_ROLE_NONE for anything else. */
enum body_role roles_body_role(const char *name);
/* True for the four role names a member may have. */
bool roles_is_member_role(const char *name);

#endif
