package io.mt5crmhub.gateway.simulator;
// TEMPORARY local stub until the simulator branch lands; never committed
import java.util.Map;
import io.mt5crmhub.gateway.*;
public abstract class SimulatorGateway implements Mt5Gateway {
    public static SimulatorGateway create(ServerSettings s) { throw new ConfigurationException("simulator not merged yet"); }
    public abstract Map<Long, String> clientIdsByLogin();
}
