package db.migration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Properties;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.simpl.SimpleThreadPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuartzJobStoreMigrationTest {

    @Test
    void theMigrationCreatesTheTablesQuartzJdbcJobStoreKeepsItsJobsIn() throws Exception {
        String url = "jdbc:h2:mem:quartz-store;DB_CLOSE_DELAY=-1";
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();

        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceName", "store-test");
        quartz.setProperty("org.quartz.threadPool.class", SimpleThreadPool.class.getName());
        quartz.setProperty("org.quartz.threadPool.threadCount", "1");
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        quartz.setProperty("org.quartz.jobStore.dataSource", "catalog");
        quartz.setProperty("org.quartz.dataSource.catalog.driver", "org.h2.Driver");
        quartz.setProperty("org.quartz.dataSource.catalog.URL", url);
        quartz.setProperty("org.quartz.dataSource.catalog.user", "sa");
        quartz.setProperty("org.quartz.dataSource.catalog.password", "");
        Scheduler scheduler = new StdSchedulerFactory(quartz).getScheduler();
        try {
            scheduler.scheduleJob(JobBuilder.newJob(NothingJob.class).withIdentity("kept", "hub").build(),
                    TriggerBuilder.newTrigger().withIdentity("kept", "hub").startNow().build());
            assertTrue(scheduler.checkExists(JobKey.jobKey("kept", "hub")));
        } finally {
            scheduler.shutdown();
        }
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS WHERE JOB_NAME = 'kept'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the job is a row of the job store");
        }
    }

    public static class NothingJob implements org.quartz.Job {
        @Override
        public void execute(org.quartz.JobExecutionContext context) {
        }
    }
}
