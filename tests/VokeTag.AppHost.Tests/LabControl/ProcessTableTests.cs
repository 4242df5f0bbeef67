using System.Diagnostics;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Tests.LabControl;

public class ProcessTableTests
{
    [Fact]
    public void A_tree_holds_the_process_its_children_and_their_children()
    {
        var table = new ResourceUsage.ProcessTable(new Dictionary<int, int>
        {
            [1] = 0, [100] = 1, [101] = 100, [102] = 100, [103] = 102, [200] = 1,
        });

        Assert.Equal([100, 101, 102, 103], table.TreeOf(100).Order());
        Assert.Equal([200], table.TreeOf(200));
        Assert.Empty(table.TreeOf(999)); // gone
    }

    [Fact]
    public void The_real_process_table_finds_a_child_of_this_process_and_counts_cpu_time()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc is Linux's
        }

        using var child = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            var table = ResourceUsage.ProcessTable.Read();

            Assert.Contains(child.Id, table.TreeOf(Environment.ProcessId));
            Assert.True(ResourceUsage.ProcessTable.CpuTicksOf(Environment.ProcessId) > 0); // a test host has run for a while
        }
        finally
        {
            child.Kill();
        }
    }
}
