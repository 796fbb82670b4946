using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.FileProviders;

namespace AttendanceSystem.ClientHost;

/// <summary>
/// The service worker, served from the page's template (<c>client/service-worker.js</c>) with the
/// list of the shell's files and a version: the hash of every one of them. Any change to the page
/// changes the worker's bytes, which is how a browser learns there is an update; nothing to bump by hand.
/// </summary>
public static class PageShell
{
    public const string WorkerTemplate = "service-worker.js";

    /// <summary>Files the page needs to open offline. The rest (config.js, the APIs) always go to the network.</summary>
    private static readonly string[] Extensions = [".html", ".js", ".css", ".svg", ".png", ".webmanifest"];

    public static IResult ServiceWorker(IWebHostEnvironment environment)
    {
        var files = environment.WebRootFileProvider;
        var template = files.GetFileInfo(WorkerTemplate);
        if (!template.Exists)
        {
            return Results.NotFound();
        }

        var shell = Walk(files, "").Where(path => path != WorkerTemplate && path != "config.js"
            && Extensions.Contains(Path.GetExtension(path))).Order(StringComparer.Ordinal).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in shell.Append(WorkerTemplate))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path));
            using var stream = files.GetFileInfo(path).CreateReadStream();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            hash.AppendData(copy.ToArray());
        }

        var version = Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
        using var reader = new StreamReader(template.CreateReadStream());
        var script = reader.ReadToEnd()
            .Replace("\"__VERSION__\"", JsonSerializer.Serialize(version), StringComparison.Ordinal)
            .Replace("[\"__SHELL__\"]", JsonSerializer.Serialize(shell.Select(path => "/" + path)), StringComparison.Ordinal);
        // The browser checks for a new worker on every load; it must never get this from a cache.
        return Results.Text(script, "text/javascript", Encoding.UTF8);
    }

    private static IEnumerable<string> Walk(IFileProvider files, string folder) =>
        files.GetDirectoryContents(folder).SelectMany(entry =>
        {
            var path = folder.Length == 0 ? entry.Name : folder + "/" + entry.Name;
            return entry.IsDirectory ? Walk(files, path) : [path];
        });
}
