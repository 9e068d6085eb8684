package io.mt5crmhub.gateway.webapi;

import io.mt5crmhub.event.Mt5Event;

/** Where the pollers hand their events: the poll thread's delivery, which holds while the gateway is paused. */
@FunctionalInterface
interface EventDelivery {

    void deliver(Mt5Event event) throws InterruptedException;
}
