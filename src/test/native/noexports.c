/* A library that is not the Manager API: it has MTManagerVersion but lacks MTManagerCreateExt, so the
 * binding's "library lacking an export" check has something to refuse. */
#include <stdint.h>

__attribute__((visibility("default"))) uint32_t MTManagerVersion(uint32_t *version) {
    *version = 5264;
    return 0;
}
