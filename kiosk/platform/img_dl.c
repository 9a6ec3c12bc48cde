/*
 * img_dl.c: the SDL_image table (img_dl.h).
 */
#include "img_dl.h"

#include <dlfcn.h>
#include <pthread.h>

struct img_dl_api img_dl;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *h = dlopen("libSDL2_image-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    *(void **)&img_dl.load_sized_svg = dlsym(h, "IMG_LoadSizedSVG_RW");
    *(void **)&img_dl.load = dlsym(h, "IMG_Load_RW");
    *(void **)&img_dl.quit = dlsym(h, "IMG_Quit");
    img_dl.ok = img_dl.load_sized_svg && img_dl.load && img_dl.quit;
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
