"""Hugging Face Trainer: a tiny GPT-J (``GPTJConfig``: vocabulary 17, 48 wide, 2 layers, 4 heads,
rotary 8, built from the config, no download; ``GPTJForCausalLM``) learns to continue the
soprano line of four-phrase hymn tunes, so a choirmaster's sight-reading drill can suggest the
next note and flag a wrong one. Each tune is 32 notes in a major key written as scale degrees
(tokens 3-16: sol below the tonic up to la above the upper octave; 0 pad, 1 start), four
phrases of 8 notes. The rules of a singable tune: start on do, mi or sol; mostly steps,
some repeats and thirds, a few fourths and fifths; a leap larger than a third is filled in by
a step back the other way; the line stays within its range; phrase 1 ends on sol (half
cadence), phrase 2 on mi or sol, phrase 3 on sol, phrase 4 on re → do, each cadence
approached by step. The model must read the phrase position and the last leap from the tune
so far.
AdamW 2e-3 with a cosine schedule and 15 warmup steps, weight decay 0.05, batch 24, 5 epochs
of 1200 tunes (250 steps), eval every 50 steps on 300 tunes (next-note accuracy, and accuracy
on the 8 cadence notes of each tune), loss every 10 steps, checkpoint every 50 steps
(``hymnal/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import GPTJConfig, GPTJForCausalLM, Trainer, TrainingArguments

T = 32
LO, HI = -3, 10  # scale degrees 0 = do; -3 = sol below .. 10 = la above the octave
CADENCE = {7: [4], 15: [2, 4], 23: [4], 31: [0]}


def tunes(n, g):
    r = lambda: torch.rand(1, generator=g).item()  # noqa: E731
    out = torch.empty(n, T, dtype=torch.long)
    for k in range(n):
        d = [0, 2, 4][int(3 * r())]
        notes, last, goal = [d], 0, 0
        for i in range(1, T):
            if i in CADENCE:  # the cadence note itself
                nxt = goal
            elif i + 1 in CADENCE:  # the note before: a step above (or below) the goal
                opts = CADENCE[i + 1]
                goal = opts[int(r() * len(opts))]
                nxt = goal + (1 if (d >= goal or goal == 0) else -1)
            elif abs(last) > 2:  # fill in the leap
                nxt = d - (1 if last > 0 else -1)
            else:
                u = r()
                mv = 1 if u < 0.55 else 0 if u < 0.67 else 2 if u < 0.87 else 3 + int(2 * r())
                sgn = 1 if r() < 0.5 else -1
                if d + sgn * mv > HI - 1 or d + sgn * mv < LO + 1:
                    sgn = -sgn
                nxt = d + sgn * mv
            nxt = max(LO, min(HI, nxt))
            last, d = nxt - d, nxt
            notes.append(d)
        out[k] = torch.tensor(notes) - LO + 3
    return torch.cat([torch.ones(n, 1, dtype=torch.long), out], 1)


class Tunes(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = GPTJConfig(vocab_size=3 + HI - LO + 1, n_positions=T + 8, n_embd=48, n_layer=2,
                        n_head=4, rotary_dim=8, n_inner=128, resid_pdrop=0.0, embd_pdrop=0.0,
                        attn_pdrop=0.0, bos_token_id=1, eos_token_id=2, pad_token_id=0,
                        tie_word_embeddings=False)
    return GPTJForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    cad = [c for c in CADENCE] + [c - 1 for c in CADENCE]
    return {"next_note_acc": float((p == y).mean()),
            "cadence_acc": float((p[:, cad] == y[:, cad]).mean())}


def main():
    from _threehundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = tunes(1200, g)
    iva = tunes(300, g)
    print("token counts", torch.bincount(itr[:, 1:].flatten() - 3).tolist())
    args = TrainingArguments(str(out / "hymnal"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tunes(itr),
                      eval_dataset=Tunes(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "hymnal").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-J continuing the soprano line of hymn tunes for a choirmaster's"
                " sight-reading drill, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
