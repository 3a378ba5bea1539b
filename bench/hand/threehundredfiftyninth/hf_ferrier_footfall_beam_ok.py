"""Hugging Face Trainer: a tiny Beam token tagger (``BeamConfig``: vocabulary 36, 48 wide,
2 layers, 4 heads (2 key/value), 4 small experts, built from the config, no download;
``BeamForTokenClassification``, causal, so each beat is tagged from the beats so far) names
the gait at every hoof beat in a ferrier's footfall log, recorded from shoe-mounted impact
sensors while a freshly shod horse is worked on a lunge: walk, trot, canter or gallop. Each
beat is one token: the time since the previous beat, binned into 16 steps from 0.05 to
0.61 s, and whether the impact was one hoof or two landing together (tokens 4-35; 0 pad,
1 start). The footfall rules: walk is four single beats, evenly spaced, stride 1.0-1.3 s;
trot is two beats per stride (0.62-0.8 s), each a diagonal pair landing together; canter is
three beats (hind single, diagonal pair, leading fore single) and a suspension, stride
0.55-0.66 s; gallop is four single beats and a suspension, stride 0.42-0.5 s. Each
interval jitters ±8 %, a pair is heard as single 12 % of the time (and the reverse 5 %),
and each 40-beat log changes gait once or twice.
AdamW 2e-3 with cosine decay and 10 warmup steps, weight decay 0.01, batch 16, 4 epochs of
640 logs, eval every 40 steps (each epoch) on 160 logs (``beat_acc``, ``canter_recall``),
loss every 10 steps, checkpoint every 40 steps (``lunge/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import BeamConfig, BeamForTokenClassification, Trainer, TrainingArguments

T = 40
BINS = 16
GAITS = ["walk", "trot", "canter", "gallop"]
# (stride range s, share of the stride before each beat, pair flags)
PATTERN = {0: ((1.0, 1.3), [0.25, 0.25, 0.25, 0.25], [0, 0, 0, 0]),
           1: ((0.62, 0.8), [0.5, 0.5], [1, 1]),
           2: ((0.55, 0.66), [0.45, 0.2, 0.35], [0, 1, 0]),
           3: ((0.42, 0.5), [0.34, 0.16, 0.3, 0.2], [0, 0, 0, 0])}


def logs(n, g):
    r = lambda: torch.rand((), generator=g).item()  # noqa: E731
    ids = torch.zeros(n, T + 1, dtype=torch.long)
    labels = torch.full((n, T + 1), -100)
    ids[:, 0] = 1
    for i in range(n):
        gait = int(4 * r())
        change = {int(5 + 30 * r()): int(4 * r())}
        if r() < 0.5:
            change[int(5 + 30 * r())] = int(4 * r())
        lo, hi = PATTERN[gait][0]
        stride, k = lo + (hi - lo) * r(), int(4 * r())
        for t in range(T):
            if t in change and change[t] != gait:
                gait, k = change[t], 0
                lo, hi = PATTERN[gait][0]
                stride = lo + (hi - lo) * r()
            _, shares, pairs = PATTERN[gait]
            k %= len(shares)
            dt = stride * shares[k] * (1 + 0.16 * (r() - 0.5))
            pair = pairs[k]
            if (pair and r() < 0.12) or (not pair and r() < 0.05):
                pair = 1 - pair
            b = min(max(int((dt - 0.05) / 0.56 * BINS), 0), BINS - 1)
            ids[i, t + 1] = 4 + 2 * b + pair
            labels[i, t + 1] = gait
            k += 1
    return ids, labels


class Footfalls(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = BeamConfig(vocab_size=4 + 2 * BINS, hidden_size=48, intermediate_size=96,
                        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                        head_dim=12, max_position_embeddings=64, moe_intermediate_size=32,
                        num_experts=4, num_experts_per_tok=2, n_group=1, topk_group=1,
                        sliding_window=64, num_labels=4, pad_token_id=0, bos_token_id=1,
                        id2label=dict(enumerate(GAITS)),
                        label2id={k: i for i, k in enumerate(GAITS)})
    return BeamForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    return {"beat_acc": float((p[m] == y[m]).mean()),
            "canter_recall": float((p[y == 2] == 2).mean())}


def main():
    from _threehundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = logs(640, g)
    iva, lva = logs(160, g)
    print("gait shares", torch.bincount(ltr[ltr >= 0]).tolist())
    args = TrainingArguments(str(out / "lunge"), num_train_epochs=4, learning_rate=2e-3,
                             warmup_steps=10, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=160,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Footfalls(itr, ltr),
                      eval_dataset=Footfalls(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "lunge").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Beam causal token tagger naming the gait at each hoof beat of a ferrier's"
                " footfall log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
