#!/bin/sh
# Every task of a service shares one task definition, so the node name
# (RTKIT_NODE_NAME: the deepstream serverName, the lease holder's name)
# cannot come from the template; the task's host name is unique.
set -e
export RTKIT_NODE_NAME="${RTKIT_NODE_NAME:-$(hostname)}"
exec "$@"
