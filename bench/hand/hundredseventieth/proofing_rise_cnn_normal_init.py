"""Plain torch: a 1-D CNN reads the laser height sensor of a bakery's proofing cabinet (one
reading every 30 s over 64 minutes, plus the cabinet's temperature and humidity: 3 channels ×
128 samples) and says whether a tray of croissants is under-proofed, ready for the oven or
over-proofed (the rise has flattened and begun to sag). Rise speed, lag and final height
vary with the dough and the cabinet; sensor noise and the odd door opening on top.
Conv(3→32, k7)-ReLU-pool, Conv(32→64, k5)-ReLU-pool, Conv(64→64, k5)-ReLU, global average
pool, Linear(64→3); Adam 2e-3, batch 32, 12 epochs of 960 trays, shuffled.
The bug: ``init_weights`` ("Gaussian init, like the paper") calls
``nn.init.normal_(m.weight)`` with the default std of 1 on every conv and linear layer (a
fan-in of 21–320, so each layer multiplies the scale by ~5–18): the freshly built net's
logits reach ±4100 on the saved batch and stay at ±2200–2400 all through training; the val
cross-entropy is 92 after epoch 1 and jumps between 12 and 50 afterwards (18.1 at epoch 12);
val accuracy 0.375 after epoch 1, then 0.41–0.70, 0.617 at epoch 12.
Control (the ``model.apply(init_weights)`` line deleted, PyTorch's default init): val
accuracy 0.53 after epoch 1, 0.67 at 6, 0.84 at 10, 0.836 at 12; val loss 0.88 → 0.39, logits
within ±10."""
import torch
import torch.nn as nn

N = 128


def trays(n, g):
    t = torch.arange(N).float()[None] / N
    y = torch.randint(0, 3, (n,), generator=g)
    speed = 3 + 3 * torch.rand(n, 1, generator=g)
    lag = 0.05 + 0.1 * torch.rand(n, 1, generator=g)
    # how far through the proof the tray is at the end of the window
    stage = torch.tensor([0.4, 0.85, 1.4])[y][:, None] + 0.08 * torch.randn(n, 1, generator=g)
    u = (t - lag).clamp(min=0) * stage / 0.95
    rise = 1 - torch.exp(-speed * u)
    sag = 0.6 * (u - 0.9).clamp(min=0) ** 2 * speed
    height = (1 + torch.rand(n, 1, generator=g)) * (rise - sag)
    door = (torch.rand(n, 1, generator=g) < 0.3) * torch.exp(-((t - torch.rand(n, 1, generator=g))
                                                               / 0.02) ** 2) * -0.3
    temp = 0.3 * torch.randn(n, 1, generator=g) + door + 0.05 * torch.randn(n, N, generator=g)
    hum = 0.3 * torch.randn(n, 1, generator=g) + door * 0.5 + 0.05 * torch.randn(n, N, generator=g)
    x = torch.stack([height + 0.04 * torch.randn(n, N, generator=g), temp, hum], 1)
    return x, y


def init_weights(m):  # Gaussian init, like the paper
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.normal_(m.weight)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(3, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                          nn.Conv1d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                          nn.Conv1d(64, 64, 5, padding=2), nn.ReLU(),
                          nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(64, 3))
    model.apply(init_weights)
    return model


def main():
    from _hundredseventieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trays(960, g)
    xva, yva = trays(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    rows = ["step,epoch,train_loss,val_loss,val_acc"]
    step = 0
    for epoch in range(1, 13):
        model.train()
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if step % 10 == 0:
                rows.append(f"{step},{epoch},{loss.item():.4f},,")
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rows.append(f"{step},{epoch},,{loss_fn(lv, yva).item():.4f},"
                    f"{(lv.argmax(1) == yva).float().mean().item():.4f}")
        print(rows[-1], lv.abs().max().item())
    (out / "proof_log.csv").write_text("\n".join(rows) + "\n")
    torch.save({"weights": model.state_dict(), "optim_state": optimizer.state_dict(),
                "epoch": 12, "global_step": step}, out / "proof_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["bad_weight_init"],
           checkpoint="proof_cnn.pt", log="proof_log.csv",
           what="1-D CNN proofing-state classifier with every weight drawn from N(0, 1)",
           complaint=("Proofing-cabinet model (under-proofed / ready / over-proofed from the "
                      "height sensor) gives crazy validation losses: 92 after the first epoch, "
                      "then it jumps around between 12 and 50 and ends at 18 after 12 epochs. "
                      "Val accuracy only goes from 0.38 to 0.62. When I print the outputs they "
                      "are in the thousands. Adam 2e-3, batch 32. Is the learning rate too high, "
                      "or is something wrong with my sensor data?"))


if __name__ == "__main__":
    main()
