using System.Text.Json;
using VokeTag.Bench.Performance;

namespace VokeTag.Bench.Tests;

public class PerformanceParsingTests
{
    [Fact]
    public void Reads_redis_benchmark_csv_and_combines_two_tests_into_one_rate()
    {
        const string Csv = """
            "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
            "SET","100000.00","0.100","0.020","0.090","0.150","0.300","1.000"
            "GET","200000.00","0.050","0.010","0.040","0.080","0.200","0.900"
            """;

        var results = RedisBenchmarkResult.ParseCsv(Csv);

        Assert.Equal([("SET", 100000.0, 0.09), ("GET", 200000.0, 0.04)], results.Select(result => (result.Test, result.RequestsPerSecond, result.P50Ms)));
        Assert.Equal(0.02, results[0].MinMs);
        Assert.Equal(0.9, results[1].MaxMs);
    }

    [Fact]
    public void Redis_benchmark_output_without_csv_is_refused_with_what_it_printed()
    {
        var refused = Assert.Throws<FormatException>(() => RedisBenchmarkResult.ParseCsv("NOAUTH Authentication required."));

        Assert.Contains("NOAUTH", refused.Message);
    }

    [Fact]
    public void Reads_pgbench_tps_without_connection_time()
    {
        const string Output = """
            number of transactions actually processed: 151234
            latency average = 0.529 ms
            initial connection time = 12.345 ms
            tps = 15123.456789 (without initial connection time)
            """;

        Assert.Equal(15123.456789, PgBench.ParseTps(Output), precision: 6);
        Assert.Throws<FormatException>(() => PgBench.ParseTps("pgbench: error: connection refused"));
    }

    [Fact]
    public void Reads_wrk_rate_percentiles_and_non_2xx_answers()
    {
        const string Output = """
            Running 10s test @ http://localhost:41005/tags/VT-000001
              2 threads and 50 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     5.07ms    2.01ms  35.17ms   80.02%
                Req/Sec     4.98k   501.23     6.01k    70.50%
              Latency Distribution
                 50%  850.00us
                 75%    5.90ms
                 90%    7.43ms
                 99%    1.20s
              99093 requests in 10.01s, 15.12MB read
              Non-2xx or 3xx responses: 17
            Requests/sec:   9898.56
            Transfer/sec:      1.51MB
            """;

        var result = Wrk.Parse(Output);

        Assert.Equal(new Wrk.Result(9898.56, TimeSpan.FromMicroseconds(850), TimeSpan.FromSeconds(1.2), 17), result);
        Assert.Throws<FormatException>(() => Wrk.Parse("unable to connect to localhost:41005 Connection refused"));
    }

    [Fact]
    public void Reads_user_and_system_time_from_a_stat_line_whose_name_has_spaces()
    {
        const string Stat = "4242 (dotnet run x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 30 0 123 0 0";

        Assert.Equal(TimeSpan.FromSeconds(3.8), ProcessCpu.FromStat(Stat));
    }

    [Fact]
    public void This_process_has_used_some_cpu() =>
        Assert.True(ProcessCpu.Of(Environment.ProcessId) > TimeSpan.Zero);

    [Fact]
    public void Reads_where_the_servers_and_proxies_listen_from_the_lab_control()
    {
        var json = JsonDocument.Parse("""
            {
              "connectionStrings": {
                "cache": "localhost:41001,password=p1",
                "cache-proxy": "127.0.0.1:41002,password=p1",
                "voketag": "Host=localhost;Port=41003;Username=postgres;Password=p2;Database=voketag",
                "db-proxy": "Host=127.0.0.1;Port=41004;Username=postgres;Password=p2;Database=voketag"
              },
              "endpoints": { "api": { "http": "http://localhost:41005" } }
            }
            """).RootElement;

        var connections = LabConnections.From(json);

        Assert.Equal(new RedisAddress("127.0.0.1", 41001, "p1"), connections.Cache);
        Assert.Equal(41002, connections.CacheProxy.Port);
        Assert.Equal(new PostgresAddress("127.0.0.1", 41003, "postgres", "p2", "voketag"), connections.Db);
        Assert.Equal(41004, connections.DbProxy.Port);
        Assert.Equal(new Uri("http://localhost:41005"), connections.Api);
    }

    [Fact]
    public void The_busy_share_of_the_machine_comes_from_two_readings_of_proc_stat()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already in user, not added twice
        var before = MachineSettling.Parse("cpu  1000 0 500 8000 100 0 0 0 50 0");
        var after = MachineSettling.Parse("cpu  1150 0 550 8190 110 0 0 0 60 0");

        Assert.Equal((9600L, 8100L), before);
        Assert.Equal(0.5, MachineSettling.BusyShare(before, after), precision: 6); // 200 busy of 400 ticks
        Assert.Equal(0, MachineSettling.BusyShare(before, before));
    }
}
