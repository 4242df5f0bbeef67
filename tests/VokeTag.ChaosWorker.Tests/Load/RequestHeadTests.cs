using System.Diagnostics;
using System.Text;
using VokeTag.ChaosWorker.Load;
using VokeTag.ChaosWorker.Telemetry;

namespace VokeTag.ChaosWorker.Tests.Load;

public sealed class RequestHeadTests
{
    [Fact]
    public void Each_request_is_a_trace_of_its_own_carrying_the_run_id_as_baggage()
    {
        using var phase = new Activity("phase impact").SetIdFormat(ActivityIdFormat.W3C).Start();
        phase.AddBaggage(ChaosTelemetry.RunIdBaggage, "20261206-redis-failure-abc123");
        var head = new RequestHead("127.0.0.1:5180", phase);

        var first = Write(head, new LoadRequest(RequestKind.Verify, 7, null));
        var second = Write(head, new LoadRequest(RequestKind.Scan, 8, "key-1"));

        var firstTrace = Header(first, "traceparent");
        var secondTrace = Header(second, "traceparent");
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", firstTrace);
        Assert.NotEqual(firstTrace.Split('-')[1], secondTrace.Split('-')[1]);
        Assert.DoesNotContain(phase.TraceId.ToHexString(), first, StringComparison.Ordinal);
        Assert.Equal("chaos.run_id=20261206-redis-failure-abc123", Header(first, "baggage"));
        Assert.StartsWith("GET /tags/VT-000007 HTTP/1.1\r\nHost: 127.0.0.1:5180\r\n", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n{}", second, StringComparison.Ordinal);
    }

    [Fact]
    public void The_phase_links_to_the_first_requests_traces_only()
    {
        using var phase = new Activity("phase baseline").SetIdFormat(ActivityIdFormat.W3C).Start();
        var head = new RequestHead("127.0.0.1:5180", phase);
        var traces = Enumerable.Range(1, RequestHead.LinkedSample + 3)
            .Select(tag => Header(Write(head, new LoadRequest(RequestKind.Verify, tag, null)), "traceparent").Split('-')[1])
            .ToList();

        head.LinkSample(phase);

        Assert.Equal(traces.Take(RequestHead.LinkedSample), phase.Links.Select(link => link.Context.TraceId.ToHexString()));
    }

    [Fact]
    public void Without_a_sending_span_the_requests_carry_no_trace_context()
    {
        var request = Write(new RequestHead("127.0.0.1:5180", null), new LoadRequest(RequestKind.History, 1, null));

        Assert.DoesNotContain("traceparent", request, StringComparison.Ordinal);
        Assert.DoesNotContain("baggage", request, StringComparison.Ordinal);
    }

    private static string Write(RequestHead head, LoadRequest request)
    {
        var buffer = new byte[4096];
        var body = request.Kind == RequestKind.Scan ? "{}"u8.ToArray() : [];
        return Encoding.ASCII.GetString(buffer, 0, head.Write(request, buffer, body));
    }

    private static string Header(string request, string name) =>
        request.Split("\r\n").Single(line => line.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..];
}
