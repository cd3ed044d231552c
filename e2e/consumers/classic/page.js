// The server's URLs come from the query string, so this page works from any static server.
var params = new URLSearchParams(location.search)
var provider = document.querySelector('rt-provider')
provider.setAttribute('api-url', params.get('api') || '/api')
provider.setAttribute('realtime-url', params.get('realtime') || '/deepstream')
