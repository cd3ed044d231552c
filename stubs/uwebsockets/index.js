'use strict'
// rtkit runs deepstream on its Node `ws` endpoints. The real uWebSockets.js is a
// GitHub-only download, so this stub stands in for it and fails loudly if used.
throw new Error('uWebSockets.js is not installed: rtkit configures deepstream with the Node ws endpoint')
