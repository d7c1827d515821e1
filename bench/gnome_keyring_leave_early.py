"""A Secret Service client that asks for a secret and leaves before the answer.

Usage: python3 leave_early.py item|service SECONDS
Each round: connect, OpenSession (plain), SearchItems, then send the read
(Item.GetSecret on the item object, or Service.GetSecrets on the service
object) and close the connection without waiting for the reply.
"""
import sys, time
from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import open_dbus_connection

kind, seconds = sys.argv[1], float(sys.argv[2])
svc = DBusAddress('/org/freedesktop/secrets', bus_name='org.freedesktop.secrets',
                  interface='org.freedesktop.Secret.Service')
end = time.time() + seconds
rounds = 0
while time.time() < end:
    conn = open_dbus_connection(bus='SESSION')
    reply = conn.send_and_get_reply(new_method_call(svc, 'OpenSession', 'sv', ('plain', ('s', ''))))
    session = reply.body[1]
    reply = conn.send_and_get_reply(new_method_call(svc, 'SearchItems', 'a{ss}', ({'service': 's', 'account': 'a'},)))
    item = reply.body[0][0]
    if kind == 'item':
        msg = new_method_call(DBusAddress(item, bus_name='org.freedesktop.secrets',
                                          interface='org.freedesktop.Secret.Item'), 'GetSecret', 'o', (session,))
    else:
        msg = new_method_call(svc, 'GetSecrets', 'aoo', ([item], session))
    conn.send(msg)
    conn.close()
    rounds += 1
print(rounds)
