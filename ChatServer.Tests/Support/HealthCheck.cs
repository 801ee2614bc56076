using System.Net;

namespace ChatServer.Tests.Support;

/// <summary><c>GET /healthz</c> of a server's metrics port, bounded by <see cref="TestServer.Wait"/>.</summary>
public static class HealthCheck
{
    /// <summary>The status and body of <c>/healthz</c> at <paramref name="endPoint"/>.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(IPEndPoint endPoint)
    {
        using var http = new HttpClient { Timeout = TestServer.Wait };
        using var response = await http.GetAsync(new Uri($"http://{endPoint}/healthz"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
