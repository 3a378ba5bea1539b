"""Hugging Face Trainer: a tiny XLM span model (``XLMConfig``: vocabulary 20, 64 wide, 2
layers, 4 heads, one language, built from the config, no download;
``XLMForQuestionAnsweringSimple``) marks where a fish school starts and ends on a trawler's
echo-sounder trace, so the skipper's plotter can log the mark and the catch can be set
against it. A trace is 40 pings; each ping is one token: the depth band of the strongest
mid-water echo (8 bands, or none) and whether it is weak or strong (tokens 2-19; 0 pad,
1 start). The school is one run of 4-14 pings of strong echoes at a depth that drifts at
most a band per ping; around it the deep scattering layer gives weak echoes at a band of
its own (with gaps), single big fish give a lone strong echo now and then, and a few pings
inside the school read weak (fish thinning out). The model gives start and end logits per
ping (the start token stands for "no span", never the answer here).
AdamW 2e-3 with cosine decay and 36 warmup steps (10 %), weight decay 0.01, batch 16, 6 epochs
of 960 traces, eval each epoch on 300 (exact span, start within one ping, end within one ping),
loss every 15 steps, a checkpoint each epoch (``echograms/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import Trainer, TrainingArguments, XLMConfig, XLMForQuestionAnsweringSimple

PINGS = 40


def traces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ids = torch.ones(n, PINGS + 1, dtype=torch.long)
    dsl = torch.randint(6, 9, (n, 1), generator=g)
    depth = torch.where(r(n, PINGS) < 0.7, dsl, 0)
    lone = r(n, PINGS) < 0.06
    depth = torch.where(lone, torch.randint(1, 9, (n, PINGS), generator=g), depth)
    strong = lone.long()
    weak_in_school = r(n, PINGS) < 0.12
    drift = torch.randint(-1, 2, (n, PINGS), generator=g)
    length = torch.randint(4, 15, (n,), generator=g)
    s0 = (r(n) * (PINGS - length + 1)).long()
    d0 = torch.randint(2, 7, (n,), generator=g)
    for i in range(n):
        s, length_i, d = int(s0[i]), int(length[i]), int(d0[i])
        for p in range(s, s + length_i):
            d = max(1, min(8, d + int(drift[i, p])))
            edge = p in (s, s + length_i - 1)
            depth[i, p], strong[i, p] = d, int(edge or not weak_in_school[i, p])
    ids[:, 1:] = 2 + 9 * strong + depth
    start, end = s0 + 1, s0 + length
    return ids, start, end


class Echograms(torch.utils.data.Dataset):
    def __init__(self, ids, start, end):
        self.ids, self.start, self.end = ids, start, end

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(PINGS + 1, dtype=torch.long),
                "start_positions": self.start[i], "end_positions": self.end[i]}


def build():
    torch.manual_seed(0)
    config = XLMConfig(vocab_size=20, emb_dim=64, n_layers=2, n_heads=4, dropout=0.0,
                       attention_dropout=0.0, max_position_embeddings=PINGS + 8, n_langs=1,
                       use_lang_emb=False, causal=False, pad_index=0, bos_index=1,
                       eos_index=1, unk_index=1, mask_index=1, pad_token_id=0,
                       bos_token_id=1)
    return XLMForQuestionAnsweringSimple(config)


def metrics(pred):
    start_logits, end_logits = pred.predictions[:2]
    s, e = start_logits.argmax(-1), end_logits.argmax(-1)
    ys, ye = pred.label_ids
    return {"exact_span": float(((s == ys) & (e == ye)).mean()),
            "start_within_1": float((abs(s - ys) <= 1).mean()),
            "end_within_1": float((abs(e - ye) <= 1).mean())}


def main():
    from _fourhundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, str_, etr = traces(960, g)
    iva, sva, eva = traces(300, g)
    print("mean school length", (etr - str_ + 1).float().mean().item())
    args = TrainingArguments(str(out / "echograms"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=36, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=300,
                             logging_steps=15, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, label_names=["start_positions", "end_positions"],
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Echograms(itr, str_, etr),
                      eval_dataset=Echograms(iva, sva, eva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "echograms").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64],
                           "targets": torch.stack([sva[:64], eva[:64]], 1)},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny XLM span model marking a fish school's first and last ping on a"
                " trawler's echo-sounder trace, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
