extern alias attendance;
extern alias auth;
extern alias client;
extern alias reporter;

using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using AttendanceSystem.Testing;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace AttendanceSystem.EndToEnd.Tests;

/// <summary>docker-compose.yml and .env.example agree with what the services really read and where they listen.</summary>
public sealed class DeploymentTests
{
    /// <summary>Settings read straight from configuration rather than through an options class.</summary>
    private static readonly string[] ReadDirectly =
        ["LOG_FORMAT", "LOG_LEVEL", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    /// <summary>Framework settings the compose file may set.</summary>
    private static readonly string[] Framework = ["ASPNETCORE_ENVIRONMENT"];

    private static readonly Dictionary<string, (string Project, int[] Ports)> Services = new()
    {
        ["auth"] = ("Auth", [8001]),
        ["attendance"] = ("Attendance", [8002, 50051]),
        ["reporter"] = ("Reporter", [8103]),
        ["client"] = ("ClientHost", [5500]),
    };

    private static Dictionary<object, object> Compose()
    {
        using var reader = File.OpenText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml"));
        return new DeserializerBuilder().Build()
            .Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<object, object> Service(string name) =>
        (Dictionary<object, object>)((Dictionary<object, object>)Compose()["services"])[name];

    /// <summary>Every flat setting name the services bind (ConfigurationKeyName on their options classes).</summary>
    private static HashSet<string> SettingsTheServicesRead()
    {
        Assembly[] assemblies =
        [
            typeof(auth::AttendanceSystem.Auth.AuthOptions).Assembly,
            typeof(attendance::AttendanceSystem.Attendance.AttendanceOptions).Assembly,
            typeof(reporter::AttendanceSystem.Reporter.ReporterOptions).Assembly,
            typeof(AttendanceSystem.Data.DatabaseOptions).Assembly,
            typeof(AttendanceSystem.ServiceDefaults.Security.JwtOptions).Assembly,
            typeof(client::AttendanceSystem.ClientHost.ClientHostOptions).Assembly,
        ];
        var names = assemblies.SelectMany(a => a.GetTypes()).SelectMany(t => t.GetProperties())
            .Select(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
            .OfType<string>().ToHashSet();
        names.UnionWith(ReadDirectly);
        return names;
    }

    [Fact]
    public void Compose_runs_every_part_on_the_design_ports()
    {
        var services = (Dictionary<object, object>)Compose()["services"];

        Assert.Equal(["attendance", "auth", "client", "migrate", "postgres", "reporter"], services.Keys.Cast<string>().Order());
        Assert.Contains("5432:5432", Ports("postgres"));
        foreach (var (name, (_, ports)) in Services)
        {
            Assert.Equal(ports.Select(p => $"{p}:{p}").Order(), Ports(name).Order());
        }

        static IEnumerable<string> Ports(string service) => ((List<object>)Service(service)["ports"]).Cast<string>();
    }

    [Fact]
    public void Each_container_listens_where_the_service_does_by_default()
    {
        foreach (var (name, (project, ports)) in Services)
        {
            var defaults = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", project, "appsettings.json")))
                .RootElement.GetProperty("Kestrel").GetProperty("Endpoints");
            var environment = (Dictionary<object, object>)Service(name)["environment"];
            foreach (var endpoint in defaults.EnumerateObject())
            {
                var port = new Uri(endpoint.Value.GetProperty("Url").GetString()!).Port;
                Assert.Contains(port, ports);
                Assert.Equal($"http://+:{port}", environment[$"Kestrel__Endpoints__{endpoint.Name}__Url"]);
            }
        }
    }

    [Fact]
    public void Compose_sets_only_settings_the_services_read()
    {
        var known = SettingsTheServicesRead();
        foreach (var name in Services.Keys.Append("migrate"))
        {
            var environment = (Dictionary<object, object>)Service(name)["environment"];
            var unknown = environment.Keys.Cast<string>()
                .Where(key => !key.StartsWith("Kestrel__", StringComparison.Ordinal) && !known.Contains(key) && !Framework.Contains(key));
            Assert.True(!unknown.Any(), $"{name} sets settings nothing reads: {string.Join(", ", unknown)}");
        }

        Assert.Equal("http://attendance:50051", ((Dictionary<object, object>)Service("reporter")["environment"])["ATTENDANCE_GRPC_URL"]);
    }

    [Fact]
    public void Env_example_lists_every_setting_any_service_reads()
    {
        var listed = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, ".env.example"))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('='))
            .Select(line => line[..line.IndexOf('=')])
            .ToHashSet();

        var missing = SettingsTheServicesRead().Where(name => !listed.Contains(name)).Order().ToList();

        Assert.True(missing.Count == 0, ".env.example lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Docker_compose_validates_the_file_when_it_is_installed()
    {
        var compose = new[] { "/usr/bin/docker-compose", "/usr/local/bin/docker-compose" }.FirstOrDefault(File.Exists);
        if (compose is null)
        {
            // scripts/test.sh installs it; a bare `dotnet test` on a machine without it checks the rest.
            return;
        }

        var start = new ProcessStartInfo(compose, ["-f", "docker-compose.yml", "config", "-q"])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["JWT_SECRET"] = "a-secret-long-enough-for-validation-only-0123456789";
        start.Environment["POSTGRES_PASSWORD"] = "validation-only";
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, "docker-compose config: " + errors);
    }
}
