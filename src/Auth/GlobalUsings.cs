global using AttendanceSystem.Data;
global using AttendanceSystem.Data.Entities;
global using AttendanceSystem.ServiceDefaults.Http;
global using AttendanceSystem.ServiceDefaults.Security;
global using Microsoft.EntityFrameworkCore;
global using AttendanceSystem.Data.Audit;
global using Npgsql;
global using AttendanceSystem.Data.Credentials;
