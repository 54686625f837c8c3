/*
 * DynamoDB Local on 127.0.0.1 only. Its command line has no bind-address option: its Jetty server is made with a
 * port alone, which listens on every interface. This starts it as its own main class does (same arguments), with
 * the server's connectors set to 127.0.0.1 before it starts. Compiled once by dev-server/dynamodb-local.ts (javac)
 * and run with DynamoDBLocal.jar on the class path.
 */
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public final class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    for (Connector connector : jetty.getConnectors()) ((ServerConnector) connector).setHost("127.0.0.1");
    proxy.start();
    // Said once it listens: until then whatever answers on the port is another process's (dynamodb-launch.ts).
    System.out.println("GridFlow: DynamoDB Local is listening");
    System.out.flush();
  }
}
