#include "config.h"
#include "prefkit.h"
#include "test.h"
int main(void) { CHECK(1); return pk_test_done(); }
