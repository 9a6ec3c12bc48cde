/*
 * kiosk-book: staff and test tool for the booking room (placeholder until the backends land).
 */
#include <stdio.h>

int main(void)
{
    fprintf(stderr, "kiosk-book: not built yet\n");
    return 2;
}
