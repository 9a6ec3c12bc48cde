/*
 * img_dl.c: the SDL_image table (img_dl.h), filled by dl_load (dl.h).
 */
#include "img_dl.h"

#include "dl.h"

#include <pthread.h>

struct img_dl_api img_dl;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    static const char *const names[] = {"IMG_LoadSizedSVG_RW", "IMG_Load_RW", "IMG_Quit"};
    static void **const slots[] = {(void **)&img_dl.load_sized_svg, (void **)&img_dl.load, (void **)&img_dl.quit};
    _Static_assert(sizeof names / sizeof names[0] == sizeof slots / sizeof slots[0], "one slot per name");
    img_dl.ok = dl_load("libSDL2_image-2.0.so.0", names, slots, sizeof names / sizeof names[0]);
}

int img_dl_ready(void)
{
    pthread_once(&once, load);
    return img_dl.ok;
}

void img_dl_quit(void)
{
    if (img_dl.ok) img_dl.quit();
}
