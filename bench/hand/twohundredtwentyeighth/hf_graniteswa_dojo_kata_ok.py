"""Hugging Face ``Trainer``: a tiny GraniteSWA causal LM (``GraniteSWAForCausalLM`` from a
``GraniteSWAConfig``: 2 layers, hidden 64, 4 heads, vocabulary 20, no download) learns the
move order of a karate dojo's kata from the sensei's practice notes. Each note is a kata token
(four kata, 7 to 11 techniques long: age-uke, gedan-barai, oi-zuki, gyaku-zuki, mae-geri,
yoko-geri, shuto-uke, uchi-uke, kiai, yoi) followed by 36 techniques: the kata performed from
its bow, again and again (``yoi`` opens each repetition); a student sometimes skips a
technique (probability 0.1: the next one is written instead). AdamW 2e-3, 8 warm-up steps
then cosine decay, batch 32, 5 epochs of 768 notes (120 steps), eval on 192 notes every 24
steps with ``eval_move_acc`` (next-technique accuracy from the fourth on), loss every 6 steps,
``kata/checkpoint-120/`` with ``trainer_state.json``.
Healthy: eval loss 1.438 (step 24), 0.655, 0.494, 0.432, 0.424 (step 120); move accuracy
0.677, 0.893, 0.899, 0.902, 0.9025: flat near 0.90 for the last three evals, the ceiling the
10 % skipped techniques allow (a skip is unpredictable); train loss 2.94 at step 6, 1.65 at 24,
0.70 at 48, 0.42 at 120, eval loss just above it."""
import torch
from transformers import GraniteSWAConfig, GraniteSWAForCausalLM, Trainer, TrainingArguments

PAD, BOS, EOS = 0, 1, 2
KATA0, MOVE0, N_MOVES = 3, 7, 36
KATA = [
    [0, 1, 2, 3, 1, 2, 8],
    [0, 7, 3, 4, 7, 3, 5, 2, 8],
    [0, 6, 6, 4, 2, 1, 5, 3, 2, 8],
    [0, 1, 7, 2, 4, 6, 5, 3, 7, 2, 8],
]


def notes(n, g):
    x = torch.full((n, N_MOVES + 3), PAD)
    for i in range(n):
        k = int(torch.randint(0, 4, (1,), generator=g))
        cyc = KATA[k]
        pos, toks = 0, [BOS, KATA0 + k]
        while len(toks) < N_MOVES + 2:
            if float(torch.rand(1, generator=g)) < 0.1:
                pos += 1
            toks.append(MOVE0 + 1 + cyc[pos % len(cyc)] if cyc[pos % len(cyc)] else MOVE0)
            pos += 1
        x[i] = torch.tensor(toks + [EOS])
    return x


class Notes(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = GraniteSWAConfig(vocab_size=20, hidden_size=64, intermediate_size=128,
                              num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                              max_position_embeddings=64, pad_token_id=PAD, bos_token_id=BOS,
                              eos_token_id=EOS)
    return GraniteSWAForCausalLM(config)


def move_accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    guess = logits[:, 4:-2].argmax(-1)
    target = pred.label_ids[:, 5:-1]
    return {"move_acc": float((guess == target).mean())}


def main():
    from _twohundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = notes(768, g), notes(192, g)
    args = TrainingArguments(str(out / "kata"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=8, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Notes(xtr),
                      eval_dataset=Notes(xva), compute_metrics=move_accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "kata").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GraniteSWA causal LM continuing karate kata move orders (kata token then"
                " 36 techniques, some skipped), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
