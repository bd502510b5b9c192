/* sdnotify.h — tells systemd about the service's state (Type=notify) through
 * the datagram socket named by $NOTIFY_SOCKET; nothing happens when the
 * variable is unset (not started by systemd). The protocol is one datagram
 * of "KEY=value" lines, so libsystemd is not needed for it. */
#ifndef OBR_SDNOTIFY_H
#define OBR_SDNOTIFY_H

/* Sends state, e.g. "READY=1" or "STOPPING=1". Returns 0, 1 when there is
 * no NOTIFY_SOCKET, or -1 when the message could not be sent. */
int sdnotify(const char *state);

#endif
