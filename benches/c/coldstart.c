/* Cold start of a C host linked against libxerial.so (issue 7, part 5), timed by hyperfine:
 *
 *   coldstart init   start, load the library, xerial_init, xerial_shutdown, exit
 *   coldstart none   start, load the library, exit (the baseline)
 *
 * xerial_init does no network I/O; the default (production) base URL is never contacted.
 */
#include <stdio.h>
#include <string.h>

#include "xerial.h"

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "init") != 0) {
        return xerial_abi_version() == XERIAL_ABI_VERSION ? 0 : 1;
    }
    XerialConfig config;
    xerial_config_init(&config, sizeof config);
    if (xerial_init(&config) != XERIAL_OK) {
        fprintf(stderr, "xerial_init failed\n");
        return 1;
    }
    return xerial_shutdown() == XERIAL_OK ? 0 : 1;
}
