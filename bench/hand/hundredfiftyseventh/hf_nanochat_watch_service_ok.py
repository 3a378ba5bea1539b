"""Hugging Face Trainer: a tiny NanoChat character LM (``NanoChatForCausalLM`` from a
``NanoChatConfig``: hidden 48, 2 layers, 4 heads, intermediate 96, relu² MLP, logit soft-cap 15,
built from the config, no download) learns a watchmaker's timegrapher service log lines, such
as ``CAL 2824 DU +05 AMP 281 BE 0.4 OK`` (calibre, position DU/DD/CH/CB/9H/3H, daily rate in
s/d, amplitude in degrees, beat error in ms, verdict). The fields hang together the way they
do on a bench: the calibre fixes the usual amplitude range, dial-up reads higher than crown
positions, the verdict is OK when |rate| ≤ 6 and the amplitude ≥ 250, SERVICE otherwise; the
digits themselves are noise the LM cannot predict. AdamW 3e-3, 20 warm-up steps then cosine,
batch 32, 8 epochs of 640 lines (160 steps), eval every 20 steps, the pad masked with -100.
Healthy: train loss 3.42 at step 10 (ln 33 ≈ 3.5), eval loss every 20 steps 2.43, 1.08,
0.62, 0.49, 0.46, 0.45, 0.446, 0.445 at step 160 — flat for the last 60 steps at the entropy of
the random digits, train loss 0.44 the same (nothing to overfit); checkpoint-160."""
import torch
from transformers import NanoChatConfig, NanoChatForCausalLM, Trainer, TrainingArguments

CHARS = " +-.0123456789ABCDEHIKLMOPRSUV"
PAD, BOS, EOS = 0, 1, 2
STOI = {c: i + 3 for i, c in enumerate(CHARS)}
VOCAB = len(CHARS) + 3
CALIBRES = {"2824": 270, "7750": 250, "3135": 290, "6497": 240, "8215": 260}
POSITIONS = ["DU", "DD", "CH", "CB", "9H", "3H"]
LEN = 40


def service_lines(n, g):
    lines = []
    cals = list(CALIBRES)
    for _ in range(n):
        r = lambda k: int(torch.randint(0, k, (1,), generator=g))  # noqa: E731
        cal = cals[r(5)]
        pos = POSITIONS[r(6)]
        amp = CALIBRES[cal] + (15 if pos in ("DU", "DD") else -10) + r(41) - 20
        rate = r(21) - 10 + (3 if pos.endswith("H") else 0)
        be = r(9) / 10
        ok = abs(rate) <= 6 and amp >= 250
        lines.append(f"CAL {cal} {pos} {rate:+03d} AMP {amp} BE {be:.1f} "
                     f"{'OK' if ok else 'SERVICE'}")
    return lines


def encode(lines):
    ids = torch.full((len(lines), LEN), PAD)
    for i, s in enumerate(lines):
        t = [BOS] + [STOI[c] for c in s] + [EOS]
        ids[i, :len(t)] = torch.tensor(t)
    labels = ids.clone()
    labels[ids == PAD] = -100
    return ids, labels


class Lines(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": (self.ids[i] != PAD).long(),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = NanoChatConfig(vocab_size=VOCAB, hidden_size=48, intermediate_size=96,
                            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                            max_position_embeddings=64, bos_token_id=BOS, eos_token_id=EOS,
                            pad_token_id=PAD)
    return NanoChatForCausalLM(config)


def main():
    from _hundredfiftyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr_ids, tr_lab = encode(service_lines(640, g))
    va_ids, va_lab = encode(service_lines(160, g))
    args = TrainingArguments(str(out / "watch_lm"), num_train_epochs=8, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=10, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=80, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Lines(tr_ids, tr_lab),
                      eval_dataset=Lines(va_ids, va_lab))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "watch_lm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": va_ids[:64], "targets": va_lab[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny NanoChat char LM on watchmaker timegrapher service lines, HF Trainer "
                "(healthy)")


if __name__ == "__main__":
    main()
