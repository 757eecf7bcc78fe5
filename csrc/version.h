/* The module version, reported by authlete.core._VERSION and reused by the
 * Lua layer as authlete._VERSION: one place to bump on release. */
#ifndef AUTHLETE_VERSION_H
#define AUTHLETE_VERSION_H
#define AUTHLETE_VERSION "1.0.0"
#endif
